/**
 * A progress line on stderr: rewritten in place on a terminal, one line per
 * step elsewhere (CI logs), so long runs show where they are.
 */
export interface Progress {
  /** Announce the step about to run. */
  step(label: string): void;
  /** Print a permanent line (notes, suite headers) without breaking the progress line. */
  line(text: string): void;
  /** Clear the progress line. */
  done(): void;
}

export function progress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  const t0 = performance.now();
  let count = 0;
  let shown = false;
  const clear = () => {
    if (tty && shown) stream.write('\r\x1b[2K');
    shown = false;
  };
  return {
    step(label) {
      count++;
      const secs = ((performance.now() - t0) / 1000).toFixed(1).padStart(6);
      const text = `[${secs}s #${count}] ${label}`;
      if (tty) {
        const width = (stream.columns ?? 100) - 1;
        stream.write(`\r\x1b[2K${text.slice(0, width)}`);
        shown = true;
      } else if (count % 10 === 1) {
        stream.write(`${text}\n`);
      }
    },
    line(text) {
      clear();
      stream.write(`${text}\n`);
    },
    done() {
      clear();
    },
  };
}
