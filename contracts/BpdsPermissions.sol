// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title BPDS permission contract for EVM consortium chains (Besu, GoQuorum)
/// @notice J. Liu, X. Li, L. Ye, H. Zhang, X. Du, M. Guizani, "BPDS: A Blockchain based
/// Privacy-Preserving Data Sharing for Electronic Medical Records", IEEE GLOBECOM 2018,
/// arXiv:1811.03223: hospitals publish index records of encrypted EMRs; the patient alone (or a
/// custodian they name) controls who may access them; requesters ask with an HL7 PurposeOfUse and
/// the contract decides and logs the decision; break-glass access is time-limited and always logged.
/// The same rules as `PermissionContract` of `bpds/chain` (docs/ledger.md). Each party acts from its
/// own EVM account (msg.sender); its Ed25519 key is stored so anyone can check index-record
/// signatures and the `bpds/evm` client's transaction signatures off chain. Parties are keyed by
/// keccak256("bpds/v1/evm/party" || id); records by their 16-byte id; grants by the granting
/// transaction id. No policy text of a record, no per-field digest and no name is stored.
contract BpdsPermissions {
    enum Role { None, Authority, Hospital, Patient, Requester }

    /// The Ed25519-signed transaction's envelope, checked by the client; the contract checks
    /// the actor's account, registered key and nonce.
    struct Tx {
        bytes32 actor;
        bytes32 signer;
        bytes16 nonce;
        bytes32 txId;
    }

    struct Party {
        string id;
        Role role;
        bool emergency;
        address account;
        bytes32 publicKey;
        string[] attributes;
    }

    /// An index record as published (every signed field, so its signature is checkable).
    struct IndexRecord {
        bytes16 recordId;
        bytes32 patient;
        bytes32 hospital;
        bytes32 keyFingerprint;
        string createdAt;
        bytes32 ciphertextDigest;
        uint64 ciphertextSize;
        bool hasPrevious;
        bool hasKeywords;
        string scheme;
        string locator;
        bytes32 policyDigest;
        bytes32 cesHeaderDigest;
        bytes32 previous;
        string[] keywords;
        bytes signature;
    }

    /// A grant: to one requester (kind 1) or to every requester satisfying a policy (kind 2),
    /// whose compiled form (`program`) the contract evaluates over hashed attribute labels.
    struct Grant {
        bytes32 grantId;
        bytes16 recordId;
        uint8 kind;
        bool hasFields;
        bool hasPurposes;
        uint64 expiresMs;
        uint64 grantedAt;
        uint64 revokedAt;
        bytes32 patient;
        bytes32 grantedBy;
        bytes32 requester;
        bytes32 policyDigest;
        string policy;
        bytes program;
        string[] fields;
        bytes purposes;
        string expiresAt;
    }

    struct PartyInput {
        bool requester;
        bool emergency;
        string id;
        bytes32 publicKey;
        address account;
        string[] attributes;
        bytes32[] labelHashes;
    }

    struct GrantInput {
        bytes16 recordId;
        uint8 kind;
        bytes32 requester;
        string policy;
        bytes32 policyDigest;
        bytes program;
        bool hasFields;
        string[] fields;
        bool hasPurposes;
        bytes purposes;
        string expiresAt;
        uint64 expiresMs;
    }

    struct Anchor {
        bytes32 hospital;
        uint32 count;
        uint64 anchoredAt;
        bytes32 txId;
    }

    error ReplayedNonce();
    error UnknownActor();
    error UnauthorizedSigner();
    error NotActorAccount();
    error AlreadyRegistered();
    error UnknownPatient();
    error UnknownParty();
    error UnknownRecord();
    error UnknownGrant();
    error InvalidRecord();
    error DuplicateRecord();
    error DuplicateAnchor();
    error BrokenRecordChain();
    error Expired();
    error InvalidCustodian();
    error AlreadyCustodian();
    error NotCustodian();
    error AlreadyRevoked();
    error InvalidPolicy();
    error MalformedTransaction();
    error InvalidAttestation();
    error TooManyGrants();

    event PatientRegistered(bytes32 indexed patient, bytes32 actor, bytes32 txId, uint64 seq);
    event PartyRegistered(bytes32 indexed party, uint8 role, bytes32 actor, bytes32 txId, uint64 seq);
    event RecordPublished(bytes32 indexed patient, bytes16 indexed recordId, bytes32 actor, bytes32 txId, uint64 seq);
    event CustodianAdded(bytes32 indexed patient, bytes32 indexed custodian, bytes32 actor, bytes32 txId, uint64 seq);
    event CustodianRemoved(bytes32 indexed patient, bytes32 indexed custodian, bytes32 actor, bytes32 txId, uint64 seq);
    event AccessGranted(bytes32 indexed patient, bytes16 indexed recordId, bytes32 actor, bytes32 txId, uint64 seq);
    /// `party`: on a revocation caused by removeCustodian, the removed custodian who made the grant.
    event AccessRevoked(
        bytes32 indexed patient,
        bytes16 indexed recordId,
        bytes32 grantId,
        bytes32 actor,
        bytes32 txId,
        uint64 seq,
        bytes32 party
    );
    /// The contract's decision on an access request. reason: 0 GRANTED, 1 BREAK_GLASS,
    /// 2 NO_MATCHING_GRANT, 3 EMERGENCY_NOT_AUTHORIZED, 4 PRESENTATION_REQUIRED (only a grant
    /// limited to fields matched a whole-record request); purpose: index in PURPOSES_OF_USE;
    /// fields: the fields the requester may read (when hasFields); expiresAt: the grant's expiry.
    struct Decision {
        bytes32 txId;
        uint64 seq;
        uint8 reason;
        uint8 purpose;
        bytes32 grantId;
        string expiresAt;
        bool hasFields;
        string[] fields;
    }

    event AccessDecided(bytes32 indexed patient, bytes16 indexed recordId, bytes32 indexed requester, Decision decision);
    /// Break-glass access, always logged: the window ends at `until` (seconds).
    event BreakGlass(bytes32 indexed patient, bytes16 indexed recordId, bytes32 indexed requester, bytes32 txId, uint64 seq, uint64 until);
    event RecordsAnchored(bytes32 indexed root, bytes32 indexed hospital, uint32 count, bytes32 txId, uint64 seq);

    uint8 private constant ETREAT = 1;
    uint8 private constant PURPOSE_COUNT = 11;
    /// Most live grants one custodian holds on one patient's records: bounds removeCustodian.
    uint256 private constant MAX_CUSTODIAN_GRANTS = 256;
    /// SHA-256("bpds/v1/key-fingerprint") and the length-prefixed "Ed25519" of `keyFingerprint`.
    bytes32 private constant FP_TAG = 0x6ee9c13baba2a6f35ad3bd96287388c72063e9fac9cd16513e0299d964bc3765;
    bytes private constant FP_ALG = hex"0000000745643235353139";

    /// The bpds chain id transactions name (checked by the client).
    string public chainName;
    uint64 public immutable breakGlassSeconds;
    uint256 public immutable deployBlock;
    /// Number of transactions applied (the next transaction's `seq`).
    uint64 public seq;

    mapping(bytes32 => Party) private parties;
    mapping(bytes32 => mapping(bytes32 => bool)) private labels;
    mapping(bytes32 => mapping(bytes16 => bool)) private nonces;
    mapping(bytes16 => IndexRecord) private records;
    mapping(bytes32 => bytes16[]) private recordsOf;
    mapping(bytes32 => bytes32) public headOf;
    mapping(bytes32 => bytes32[]) private custodians;
    mapping(bytes32 => mapping(bytes32 => bool)) private isCustodian;
    mapping(bytes32 => Grant) private grants;
    mapping(bytes16 => bytes32[]) private grantsOf;
    /// patient => custodian => the live grants it made, in the order MemoryLedger keeps them.
    mapping(bytes32 => mapping(bytes32 => bytes32[])) private custodianGrants;
    /// grantId => 1 + its index in custodianGrants (0: not a live custodian grant).
    mapping(bytes32 => uint256) private custodianSlot;
    mapping(bytes32 => Anchor) private anchors;

    constructor(
        string memory chainName_,
        string[] memory authorityIds,
        bytes32[] memory authorityKeys,
        address[] memory authorityAccounts,
        uint64 breakGlassSeconds_
    ) {
        if (authorityIds.length == 0 || authorityIds.length != authorityKeys.length
            || authorityIds.length != authorityAccounts.length || breakGlassSeconds_ == 0) {
            revert MalformedTransaction();
        }
        chainName = chainName_;
        breakGlassSeconds = breakGlassSeconds_;
        deployBlock = block.number;
        for (uint256 i = 0; i < authorityIds.length; i++) {
            Party storage p = parties[partyKey(authorityIds[i])];
            if (p.role != Role.None) revert AlreadyRegistered();
            p.id = authorityIds[i];
            p.role = Role.Authority;
            p.account = authorityAccounts[i];
            p.publicKey = authorityKeys[i];
        }
    }

    /// The key of a party id: keccak256("bpds/v1/evm/party" || id).
    function partyKey(string memory id) public pure returns (bytes32) {
        return keccak256(bytes.concat("bpds/v1/evm/party", bytes(id)));
    }

    // --- writes ---

    /// A patient registers themself, with the attestation of a registered hospital or a genesis
    /// authority that this id belongs to this key (its Ed25519 signature is verified by the client
    /// against the attester's key stored here; the contract checks the attester's role).
    function registerPatient(Tx calldata t, string calldata id, bytes32 publicKey, bytes32 attester) external {
        _nonce(t);
        bytes32 key = partyKey(id);
        if (t.actor != key || t.signer != publicKey) revert UnauthorizedSigner();
        Party storage p = parties[key];
        if (p.role != Role.None) revert AlreadyRegistered();
        Role a = parties[attester].role;
        if (a != Role.Hospital && a != Role.Authority) revert InvalidAttestation();
        p.id = id;
        p.role = Role.Patient;
        p.account = msg.sender;
        p.publicKey = publicKey;
        emit PatientRegistered(key, t.actor, t.txId, seq++);
    }

    /// Register a hospital (`requester` false) or a requester, by a genesis authority. `labelHashes`
    /// are the requester's expanded attribute labels, hashed by the client (`bpds/evm`).
    function registerParty(Tx calldata t, PartyInput calldata r) external {
        _nonce(t);
        if (_signer(t).role != Role.Authority) revert UnauthorizedSigner();
        bytes32 key = partyKey(r.id);
        Party storage p = parties[key];
        if (p.role != Role.None) revert AlreadyRegistered();
        p.id = r.id;
        p.role = r.requester ? Role.Requester : Role.Hospital;
        p.account = r.account;
        p.publicKey = r.publicKey;
        if (r.requester) {
            p.emergency = r.emergency;
            for (uint256 i = 0; i < r.attributes.length; i++) p.attributes.push(r.attributes[i]);
            for (uint256 i = 0; i < r.labelHashes.length; i++) labels[key][r.labelHashes[i]] = true;
        }
        emit PartyRegistered(key, uint8(p.role), t.actor, t.txId, seq++);
    }

    /// Publish an index record; `digest` is its record digest (the next record's `previous`),
    /// computed and signed by the hospital, checked by anyone off chain.
    function publishRecord(Tx calldata t, IndexRecord calldata r, bytes32 digest) external {
        _nonce(t);
        Party storage h = _signer(t);
        if (h.role != Role.Hospital || r.hospital != t.actor) revert UnauthorizedSigner();
        if (sha256(abi.encodePacked(FP_TAG, FP_TAG, FP_ALG, h.publicKey)) != r.keyFingerprint) revert InvalidRecord();
        if (parties[r.patient].role != Role.Patient) revert UnknownPatient();
        if (records[r.recordId].patient != bytes32(0)) revert DuplicateRecord();
        bytes32 head = headOf[r.patient];
        if (r.hasPrevious ? r.previous != head || head == bytes32(0) : head != bytes32(0)) revert BrokenRecordChain();
        if (r.patient == bytes32(0) || r.signature.length != 64) revert MalformedTransaction();
        records[r.recordId] = r;
        recordsOf[r.patient].push(r.recordId);
        headOf[r.patient] = digest;
        emit RecordPublished(r.patient, r.recordId, t.actor, t.txId, seq++);
    }

    function anchorRecords(Tx calldata t, bytes32 root, uint32 count) external {
        _nonce(t);
        if (_signer(t).role != Role.Hospital) revert UnauthorizedSigner();
        if (anchors[root].anchoredAt != 0) revert DuplicateAnchor();
        if (count == 0) revert MalformedTransaction();
        anchors[root] = Anchor(t.actor, count, uint64(block.timestamp), t.txId);
        emit RecordsAnchored(root, t.actor, count, t.txId, seq++);
    }

    function addCustodian(Tx calldata t, bytes32 patient, bytes32 custodian) external {
        _nonce(t);
        _patientSelf(t, patient);
        Role r = parties[custodian].role;
        if (r != Role.Patient && r != Role.Requester) revert UnknownParty();
        if (custodian == patient) revert InvalidCustodian();
        if (isCustodian[patient][custodian]) revert AlreadyCustodian();
        isCustodian[patient][custodian] = true;
        custodians[patient].push(custodian);
        emit CustodianAdded(patient, custodian, t.actor, t.txId, seq++);
    }

    function removeCustodian(Tx calldata t, bytes32 patient, bytes32 custodian) external {
        _nonce(t);
        _patientSelf(t, patient);
        if (!isCustodian[patient][custodian]) revert NotCustodian();
        isCustodian[patient][custodian] = false;
        bytes32[] storage list = custodians[patient];
        uint256 n = list.length;
        uint256 i = 0;
        while (list[i] != custodian) i++;
        for (; i + 1 < n; i++) list[i] = list[i + 1];
        list.pop();
        uint64 s = seq++;
        emit CustodianRemoved(patient, custodian, t.actor, t.txId, s);
        // Its authority ends with it: every live grant it made on this patient's records is
        // revoked (at most MAX_CUSTODIAN_GRANTS, so the removal always fits in a block).
        bytes32[] storage live = custodianGrants[patient][custodian];
        for (uint256 j = 0; j < live.length; j++) {
            Grant storage g = grants[live[j]];
            g.revokedAt = uint64(block.timestamp);
            delete custodianSlot[live[j]];
            emit AccessRevoked(patient, g.recordId, g.grantId, t.actor, t.txId, s, custodian);
        }
        delete custodianGrants[patient][custodian];
    }

    function grantAccess(Tx calldata t, GrantInput calldata g) external {
        _nonce(t);
        _signer(t);
        bytes32 patient = records[g.recordId].patient;
        if (patient == bytes32(0)) revert UnknownRecord();
        if (!_controls(t.actor, patient)) revert UnauthorizedSigner();
        if (g.kind == 1) {
            if (parties[g.requester].role != Role.Requester) revert UnknownParty();
        } else if (g.kind != 2 || g.program.length == 0 || g.program.length > 65536) {
            revert InvalidPolicy();
        }
        if (g.expiresMs != 0 && g.expiresMs <= block.timestamp * 1000) revert Expired();
        if (g.purposes.length > PURPOSE_COUNT) revert MalformedTransaction();
        if (t.actor != patient && custodianGrants[patient][t.actor].length >= MAX_CUSTODIAN_GRANTS) {
            revert TooManyGrants();
        }
        Grant storage s = grants[t.txId];
        if (s.grantId != bytes32(0)) revert ReplayedNonce();
        s.grantId = t.txId;
        s.recordId = g.recordId;
        s.kind = g.kind;
        s.patient = patient;
        s.grantedBy = t.actor;
        s.grantedAt = uint64(block.timestamp);
        if (g.kind == 1) {
            s.requester = g.requester;
        } else {
            s.policy = g.policy;
            s.policyDigest = g.policyDigest;
            s.program = g.program;
        }
        if (g.hasFields) {
            s.hasFields = true;
            for (uint256 i = 0; i < g.fields.length; i++) s.fields.push(g.fields[i]);
        }
        if (g.hasPurposes) {
            s.hasPurposes = true;
            s.purposes = g.purposes;
        }
        if (g.expiresMs != 0) {
            s.expiresMs = g.expiresMs;
            s.expiresAt = g.expiresAt;
        }
        grantsOf[g.recordId].push(t.txId);
        if (t.actor != patient) {
            bytes32[] storage live = custodianGrants[patient][t.actor];
            live.push(t.txId);
            custodianSlot[t.txId] = live.length;
        }
        emit AccessGranted(patient, g.recordId, t.actor, t.txId, seq++);
    }

    function revokeAccess(Tx calldata t, bytes32 grantId) external {
        _nonce(t);
        _signer(t);
        Grant storage g = grants[grantId];
        if (g.grantId == bytes32(0)) revert UnknownGrant();
        if (!_controls(t.actor, g.patient)) revert UnauthorizedSigner();
        if (g.revokedAt != 0) revert AlreadyRevoked();
        g.revokedAt = uint64(block.timestamp);
        uint256 slot = custodianSlot[grantId];
        if (slot != 0) {
            // A custodian's grant leaves its live list (swap with the last, as MemoryLedger does).
            bytes32[] storage live = custodianGrants[g.patient][g.grantedBy];
            bytes32 last = live[live.length - 1];
            live[slot - 1] = last;
            custodianSlot[last] = slot;
            live.pop();
            delete custodianSlot[grantId];
        }
        emit AccessRevoked(g.patient, g.recordId, grantId, t.actor, t.txId, seq++, 0);
    }

    /// Ask for access with a purpose of use; decided here (docs/ledger.md §3) and logged.
    function requestAccess(Tx calldata t, bytes16 recordId, uint8 purpose, bool hasFields, string[] calldata fields)
        external
    {
        _nonce(t);
        Party storage q = _signer(t);
        if (q.role != Role.Requester) revert UnauthorizedSigner();
        bytes32 patient = records[recordId].patient;
        if (patient == bytes32(0)) revert UnknownRecord();
        if (purpose >= PURPOSE_COUNT) revert MalformedTransaction();
        bytes32[] memory want = new bytes32[](fields.length);
        for (uint256 i = 0; i < fields.length; i++) want[i] = keccak256(bytes(fields[i]));
        bytes32[] storage ids = grantsOf[recordId];
        Decision memory d;
        d.txId = t.txId;
        d.seq = seq++;
        d.purpose = purpose;
        for (uint256 i = 0; i < ids.length; i++) {
            Grant storage g = grants[ids[i]];
            uint8 m = _matches(g, t.actor, purpose, hasFields, want);
            if (m == 2) d.reason = 4; // only a field-limited grant matched so far
            if (m != 1) continue;
            d.reason = 0;
            d.grantId = g.grantId;
            d.expiresAt = g.expiresAt;
            d.hasFields = hasFields;
            d.fields = fields;
            emit AccessDecided(patient, recordId, t.actor, d);
            return;
        }
        if (purpose == ETREAT && q.emergency) {
            d.reason = 1;
            d.hasFields = hasFields;
            d.fields = fields;
            emit AccessDecided(patient, recordId, t.actor, d);
            emit BreakGlass(patient, recordId, t.actor, t.txId, d.seq, uint64(block.timestamp) + breakGlassSeconds);
            return;
        }
        if (d.reason != 4) d.reason = purpose == ETREAT ? 3 : 2;
        emit AccessDecided(patient, recordId, t.actor, d);
    }

    // --- rules ---

    function _nonce(Tx calldata t) private {
        if (nonces[t.actor][t.nonce]) revert ReplayedNonce();
        nonces[t.actor][t.nonce] = true;
    }

    function _signer(Tx calldata t) private view returns (Party storage p) {
        p = parties[t.actor];
        if (p.role == Role.None) revert UnknownActor();
        if (p.publicKey != t.signer) revert UnauthorizedSigner();
        if (p.account != msg.sender) revert NotActorAccount();
    }

    function _patientSelf(Tx calldata t, bytes32 patient) private view {
        if (_signer(t).role != Role.Patient || t.actor != patient) revert UnauthorizedSigner();
    }

    function _controls(bytes32 actor, bytes32 patient) private view returns (bool) {
        return actor == patient || isCustodian[patient][actor];
    }

    /// 1: the grant answers the request; 2: live, for this requester and purpose, but limited to
    /// fields while the request asks for the whole record; 0: no.
    function _matches(Grant storage g, bytes32 requester, uint8 purpose, bool hasFields, bytes32[] memory want)
        private
        view
        returns (uint8)
    {
        if (g.revokedAt != 0) return 0;
        if (g.expiresMs != 0 && g.expiresMs <= block.timestamp * 1000) return 0;
        if (g.kind == 1) {
            if (g.requester != requester) return 0;
        } else if (!_satisfies(g.program, requester)) {
            return 0;
        }
        if (g.hasPurposes) {
            bytes memory ps = g.purposes;
            bool found = false;
            for (uint256 i = 0; i < ps.length; i++) {
                if (uint8(ps[i]) == purpose) found = true;
            }
            if (!found) return 0;
        }
        if (g.hasFields) {
            if (!hasFields) return 2;
            string[] storage have = g.fields;
            bytes32[] memory h = new bytes32[](have.length);
            for (uint256 j = 0; j < have.length; j++) h[j] = keccak256(bytes(have[j]));
            for (uint256 i = 0; i < want.length; i++) {
                bool found = false;
                for (uint256 j = 0; j < h.length && !found; j++) found = h[j] == want[i];
                if (!found) return 0;
            }
        }
        return 1;
    }

    /// Evaluate a compiled policy (postfix): 0x01 label(32) pushes whether the requester holds the
    /// label; 0x02 negates the top; 0x03 k(2) n(2) replaces the top n values by (count true >= k).
    /// A malformed program is never satisfied (the client compiles it from a parsed policy).
    function _satisfies(bytes memory p, bytes32 requester) private view returns (bool) {
        bool[] memory stack = new bool[](p.length / 5 + 1);
        uint256 sp = 0;
        uint256 i = 0;
        while (i < p.length) {
            uint8 op = uint8(p[i]);
            if (op == 1) {
                if (i + 33 > p.length) return false;
                bytes32 label;
                assembly {
                    label := mload(add(add(p, 33), i))
                }
                stack[sp++] = labels[requester][label];
                i += 33;
            } else if (op == 2) {
                if (sp == 0) return false;
                stack[sp - 1] = !stack[sp - 1];
                i += 1;
            } else if (op == 3) {
                if (i + 5 > p.length) return false;
                uint256 k = (uint256(uint8(p[i + 1])) << 8) | uint8(p[i + 2]);
                uint256 n = (uint256(uint8(p[i + 3])) << 8) | uint8(p[i + 4]);
                if (n == 0 || n > sp || k == 0 || k > n) return false;
                uint256 yes = 0;
                for (uint256 j = sp - n; j < sp; j++) if (stack[j]) yes++;
                sp -= n;
                stack[sp++] = yes >= k;
                i += 5;
            } else {
                return false;
            }
        }
        return sp == 1 && stack[0];
    }

    // --- reads ---

    function getParty(bytes32 key) external view returns (Party memory) {
        return parties[key];
    }

    function getRecord(bytes16 recordId) external view returns (IndexRecord memory) {
        return records[recordId];
    }

    function getRecordIds(bytes32 patient) external view returns (bytes16[] memory) {
        return recordsOf[patient];
    }

    function getGrantIds(bytes16 recordId) external view returns (bytes32[] memory) {
        return grantsOf[recordId];
    }

    function getGrant(bytes32 grantId) external view returns (Grant memory) {
        return grants[grantId];
    }

    function getCustodians(bytes32 patient) external view returns (bytes32[] memory) {
        return custodians[patient];
    }

    function getAnchor(bytes32 root) external view returns (Anchor memory) {
        return anchors[root];
    }
}
