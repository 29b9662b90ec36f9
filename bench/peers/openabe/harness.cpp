// bpds bench peer: a small timing harness around OpenABE (Zeutro's C++ ABE library) and the
// RELIC toolkit it is built on. Written for bpds; it contains no OpenABE code and only calls
// OpenABE's and RELIC's public headers.
//
// Scheme measured: OpenABE's "CP-ABE" crypto context, i.e. Waters's ciphertext-policy ABE
// (B. Waters, "Ciphertext-Policy Attribute-Based Encryption: An Expressive, Efficient, and
// Provably Secure Realization", PKC 2011) behind OpenABE's generic CCA transform and AES-GCM
// hybrid encryption, on RELIC's BN_P254 curve (the curve mcl-wasm's BN254 is).
//
// Protocol: one command a line on stdin, one JSON object a line on stdout.
//   info                  -> RELIC configuration (the arithmetic backend decides the speed)
//   prep  <case> <n>      -> build the fixtures of a case (and check them), {"ok":true,"bytes":B}
//   run   <case> <n> <k>  -> call the case k times; {"cpu_ms":per call,"wall_ms":per call}
//   quit
// Cases: keygen, encrypt, decrypt (AND of n attributes, 1 KiB plaintext, CCA), and the RELIC
// primitives miller (n-pair product, one final exponentiation subtracted by the driver),
// finalexp, pairing, g1mul, g2mul, g2check. CPU time is this process's
// (CLOCK_PROCESS_CPUTIME_ID), as the bpds side uses its own process's CPU time.
// Every failure prints {"error":"..."} and the process carries on (or exits on quit/EOF).

#include <openabe/openabe.h>
#include <openabe/zsymcrypto.h>

#include <relic/relic.h>

#include <time.h>

#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace oabe;

#define BPDS_STR2(x) #x
#define BPDS_STR(x) BPDS_STR2(x)

// RELIC's configuration, for the report. ARITH is a bare token sequence such as X64-ASM-254
// whose first token is itself a macro (X64 = 5): stringify it with X64 undefined.
#if defined(ARCH) && defined(X64) && ARCH == X64
#define BPDS_ARCH "X64"
#else
#define BPDS_ARCH "other"
#endif
#pragma push_macro("X64")
#undef X64
static const char *const kArith = BPDS_STR(ARITH);
#pragma pop_macro("X64")

namespace {

const size_t kPlaintextBytes = 1024;
const size_t kMaxPairs = 256;

double cpuMs() {
  timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double wallMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

std::string attr(int i) {
  char buf[16];
  snprintf(buf, sizeof buf, "attr%03d", i);
  return buf;
}

// "|attr001|attr002|..." (OpenABE's attribute-list syntax) for n attributes.
std::string attrList(int n) {
  std::string s;
  for (int i = 1; i <= n; i++) s += "|" + attr(i);
  return s;
}

// "attr001 and attr002 and ...": the AND of n attributes.
std::string andPolicy(int n) {
  std::string s;
  for (int i = 1; i <= n; i++) s += (i > 1 ? " and " : "") + attr(i);
  return s;
}

std::string plaintextOf() {
  std::string p(kPlaintextBytes, '\0');
  for (size_t i = 0; i < kPlaintextBytes; i++) p[i] = static_cast<char>(i & 0xff);
  return p;
}

// RELIC fixtures of the primitive cases. RELIC keeps its curve state per thread and
// OpenABE's context has already set BN_P254 on this (the only) thread.
struct Primitives {
  ep_t p[kMaxPairs];
  ep2_t q[kMaxPairs];
  ep2_t t2;
  ep_t t1;
  fp12_t f, e;
  bn_t k, r;
  Primitives() {
    for (size_t i = 0; i < kMaxPairs; i++) {
      ep_null(p[i]);
      ep_new(p[i]);
      ep2_null(q[i]);
      ep2_new(q[i]);
      g1_rand(p[i]);
      g2_rand(q[i]);
    }
    ep_null(t1);
    ep_new(t1);
    ep2_null(t2);
    ep2_new(t2);
    fp12_null(f);
    fp12_new(f);
    fp12_null(e);
    fp12_new(e);
    bn_null(k);
    bn_new(k);
    bn_null(r);
    bn_new(r);
    g1_get_ord(r);
    bn_rand_mod(k, r);
    pp_map_oatep_k12(e, p[0], q[0]);
  }
};

struct Harness {
  std::unique_ptr<OpenABECryptoContext> ctx;
  std::unique_ptr<Primitives> prim;
  std::string plaintext = plaintextOf();
  std::string ciphertext;
  int preparedN = -1;
  std::string preparedCase;

  void setup() {
    ctx.reset(new OpenABECryptoContext("CP-ABE", false));
    ctx->generateParams();
    prim.reset(new Primitives());
  }

  // Build (and check) what `run` needs. Returns the byte size of what the case produces.
  size_t prep(const std::string &c, int n) {
    if (n < 1 || n > 1000) throw std::runtime_error("n out of range");
    size_t bytes = 0;
    if (c == "keygen" || c == "encrypt" || c == "decrypt") {
      ctx->keygen(attrList(n), "dk");
      ctx->encrypt(andPolicy(n), plaintext, ciphertext);
      std::string out;
      if (!ctx->decrypt("dk", ciphertext, out) || out != plaintext)
        throw std::runtime_error("OpenABE round trip failed (is the library's PRNG sound?)");
      // A key missing one attribute must be refused (the peer is a real CP-ABE).
      if (n > 1) {
        ctx->keygen(attrList(n - 1), "short");
        std::string junk;
        if (ctx->decrypt("short", ciphertext, junk))
          throw std::runtime_error("OpenABE decrypted with a key that misses an attribute");
        ctx->deleteKey("short");
      }
      // A flipped byte in the body must be refused.
      std::string bad = ciphertext;
      bad[bad.size() - 1] ^= 1;
      std::string junk;
      if (ctx->decrypt("dk", bad, junk)) throw std::runtime_error("OpenABE accepted a tampered ciphertext");
      bytes = ciphertext.size();
    } else if (c == "miller") {
      if (static_cast<size_t>(n) > kMaxPairs) throw std::runtime_error("too many pairs");
    } else if (c == "g2check") {
      ep2_mul_slide(prim->t2, prim->q[0], prim->r);
      if (!ep2_is_infty(prim->t2)) throw std::runtime_error("g2check: [r]Q is not the identity");
    } else if (c != "finalexp" && c != "pairing" && c != "g1mul" && c != "g2mul") {
      throw std::runtime_error("unknown case " + c);
    }
    preparedCase = c;
    preparedN = n;
    return bytes;
  }

  void once(const std::string &c, int n) {
    if (c == "keygen") {
      ctx->keygen(attrList(n), "kg");
    } else if (c == "encrypt") {
      std::string ct;
      ctx->encrypt(andPolicy(n), plaintext, ct);
    } else if (c == "decrypt") {
      std::string out;
      if (!ctx->decrypt("dk", ciphertext, out)) throw std::runtime_error("decrypt failed");
    } else if (c == "miller") {
      pp_map_sim_oatep_k12(prim->f, prim->p, prim->q, n);
    } else if (c == "finalexp") {
      pp_exp_k12(prim->f, prim->e);
    } else if (c == "pairing") {
      pp_map_oatep_k12(prim->f, prim->p[0], prim->q[0]);
    } else if (c == "g1mul") {
      g1_mul(prim->t1, prim->p[0], prim->k);
    } else if (c == "g2mul") {
      g2_mul(prim->t2, prim->q[0], prim->k);
    } else if (c == "g2check") {
      // Subgroup membership of an untrusted G2 point: [r]Q = O by a generic sliding-window
      // multiplication (RELIC 0.5 has no dedicated test; its GLS method assumes Q in G2).
      ep2_mul_slide(prim->t2, prim->q[0], prim->r);
      if (!ep2_is_infty(prim->t2)) throw std::runtime_error("g2check failed");
    }
  }
};

std::string jsonEscape(const std::string &s) {
  std::string o;
  for (char ch : s) {
    if (ch == '"' || ch == '\\') {
      o += '\\';
      o += ch;
    } else if (static_cast<unsigned char>(ch) < 0x20) {
      o += ' ';
    } else {
      o += ch;
    }
  }
  return o;
}

}  // namespace

int main() {
  std::ios::sync_with_stdio(false);
  InitializeOpenABE();
  Harness h;
  try {
    h.setup();
  } catch (const std::exception &e) {
    std::cout << "{\"error\":\"setup: " << jsonEscape(e.what()) << "\"}" << std::endl;
    ShutdownOpenABE();
    return 1;
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string cmd, c;
    int n = 0;
    long k = 0;
    in >> cmd;
    try {
      if (cmd == "quit") break;
      if (cmd == "info") {
        std::cout << "{\"relic\":\"" << RELIC_VERSION << "\",\"arith\":\"" << kArith << "\",\"arch\":\""
                  << BPDS_ARCH << "\",\"wsize\":" << WSIZE << ",\"fp_prime\":" << FP_PRIME
                  << "}" << std::endl;
      } else if (cmd == "prep") {
        in >> c >> n;
        if (!in) throw std::runtime_error("usage: prep <case> <n>");
        size_t bytes = h.prep(c, n);
        std::cout << "{\"ok\":true,\"bytes\":" << bytes << "}" << std::endl;
      } else if (cmd == "run") {
        in >> c >> n >> k;
        if (!in || k < 1 || k > 100000) throw std::runtime_error("usage: run <case> <n> <calls>");
        if (c != h.preparedCase || n != h.preparedN) throw std::runtime_error("run before prep of that case");
        double c0 = cpuMs(), w0 = wallMs();
        for (long i = 0; i < k; i++) h.once(c, n);
        double cpu = (cpuMs() - c0) / k, wall = (wallMs() - w0) / k;
        std::cout.precision(6);
        std::cout << "{\"cpu_ms\":" << std::fixed << cpu << ",\"wall_ms\":" << wall << "}" << std::endl;
        std::cout.unsetf(std::ios::fixed);
      } else {
        throw std::runtime_error("unknown command");
      }
    } catch (const std::exception &e) {
      std::cout << "{\"error\":\"" << jsonEscape(e.what()) << "\"}" << std::endl;
    } catch (...) {
      std::cout << "{\"error\":\"OpenABE threw a non-standard exception\"}" << std::endl;
    }
  }
  ShutdownOpenABE();
  return 0;
}
