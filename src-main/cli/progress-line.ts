// Human-readable progress for stderr: one line per update on a terminal, throttled lines elsewhere.

/** Writes transient lines in place on a TTY; on pipes keeps at most one line per `everyMs`. */
export class ProgressLine {
  private last = 0;
  private open = false;
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly everyMs = 2000) {}

  update(text: string): void {
    if (this.stream.isTTY) {
      this.stream.write(`\r\x1b[2K${text}`);
      this.open = true;
    } else if (Date.now() - this.last >= this.everyMs) {
      this.stream.write(`${text}\n`);
      this.last = Date.now();
    }
  }

  /** A line that stays (end of an epoch, a warning). */
  log(text: string): void {
    if (this.open) this.stream.write('\r\x1b[2K');
    this.open = false;
    this.stream.write(`${text}\n`);
  }
}
