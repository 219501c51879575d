/**
 * One pass of the cube builder: rebuild, from the deduplicated facts, every cube day whose
 * facts changed since the last pass, then move the watermark past the marks it read.
 * - Marks are re-read from `watermark − slack`: a mark stamped before the watermark but made
 *   visible after the last read (a slow insert) is not missed; rebuilding a day twice is
 *   harmless, since a rebuild replaces the whole day.
 * - A mark is written after its facts insert, so a rebuild that reads a mark reads its facts.
 * - The watermark is kept in the database: a restarted builder resumes where it stopped, and
 *   marks written while it was down are rebuilt on its first pass.
 * A rebuild writes a new version of the whole day (newer versions win), so a day rebuilt by a
 * pass that started later wins even if it finishes first (docs/decisions.md, "Exact cubes").
 */
export type CubeSource = 'dlr' | 'cdr';

export interface DirtyDay {
  source: CubeSource;
  dayMs: number;
  lastMarkS: number;
}

export interface CubeStore {
  /** The database's clock, epoch s: marks are stamped by it. */
  nowS(): Promise<number>;
  readWatermark(): Promise<number>;
  writeWatermark(s: number): Promise<void>;
  dirtyDays(sinceS: number): Promise<DirtyDay[]>;
  /** Epoch s of the oldest mark after `afterS`, or null when there is none. */
  oldestMarkAfter(afterS: number): Promise<number | null>;
  rebuild(source: CubeSource, dayMs: number): Promise<void>;
  /** Derives again every derived-cube day (the daily DLR cubes) not level with its source. */
  alignDerived(): Promise<void>;
}

export interface CubePass {
  rebuilt: DirtyDay[];
  /** How far the cubes were behind their facts when the pass started (s). */
  lagS: number;
}

export class BuildCubesUseCase {
  private watermark: number | null = null;
  private aligned = false;

  constructor(
    private readonly store: CubeStore,
    private readonly slackS: number,
  ) {}

  async run(): Promise<CubePass> {
    // Once per process, before the first marks: days an older builder rebuilt without the
    // daily cubes (a rollout) are levelled; a failure is retried by the next pass.
    if (!this.aligned) {
      await this.store.alignDerived();
      this.aligned = true;
    }
    this.watermark ??= await this.store.readWatermark();
    const watermark = this.watermark;
    const now = await this.store.nowS();
    const oldest = await this.store.oldestMarkAfter(watermark);
    const lagS = oldest === null ? 0 : Math.max(0, now - oldest);
    const days = await this.store.dirtyDays(Math.max(0, watermark - this.slackS));
    for (const d of days) await this.store.rebuild(d.source, d.dayMs);
    const newest = Math.max(watermark, ...days.map((d) => d.lastMarkS));
    if (newest > watermark) {
      await this.store.writeWatermark(newest);
      this.watermark = newest;
    }
    return { rebuilt: days, lagS };
  }
}
