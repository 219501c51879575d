// BuildCubesUseCase with a hand-written CubeStore: what is rebuilt, where the watermark goes,
// how the freshness lag is measured.
import { describe, expect, it } from 'vitest';
import {
  BuildCubesUseCase,
  type CubeStore,
  type DirtyDay,
} from '../src/use-cases/build-cubes.use-case.js';

const DAY = 86_400_000;

class FakeCubes implements CubeStore {
  now = 1000;
  watermark = 0;
  marks: { source: 'dlr' | 'cdr'; dayMs: number; at: number }[] = [];
  rebuilt: string[] = [];
  writes: number[] = [];
  async nowS() {
    return this.now;
  }
  async readWatermark() {
    return this.watermark;
  }
  async writeWatermark(s: number) {
    this.watermark = s;
    this.writes.push(s);
  }
  async dirtyDays(sinceS: number): Promise<DirtyDay[]> {
    const out = new Map<string, DirtyDay>();
    for (const m of this.marks.filter((x) => x.at >= sinceS)) {
      const k = `${m.source}|${m.dayMs}`;
      const d = out.get(k);
      out.set(k, {
        source: m.source,
        dayMs: m.dayMs,
        lastMarkS: Math.max(d?.lastMarkS ?? 0, m.at),
      });
    }
    return [...out.values()];
  }
  async oldestMarkAfter(afterS: number) {
    const after = this.marks.filter((m) => m.at > afterS).map((m) => m.at);
    return after.length === 0 ? null : Math.min(...after);
  }
  async rebuild(source: 'dlr' | 'cdr', dayMs: number) {
    this.rebuilt.push(`${source}@${dayMs / DAY}`);
  }
  aligns = 0;
  alignFails = 0;
  async alignDerived() {
    this.aligns += 1;
    if (this.alignFails > 0) {
      this.alignFails -= 1;
      throw new Error('ClickHouse away');
    }
  }
}

describe('BuildCubesUseCase', () => {
  it('rebuilds each marked day once per pass and moves the watermark to the newest mark', async () => {
    const s = new FakeCubes();
    s.marks = [
      { source: 'dlr', dayMs: 3 * DAY, at: 900 },
      { source: 'dlr', dayMs: 3 * DAY, at: 950 },
      { source: 'cdr', dayMs: 1 * DAY, at: 960 },
    ];
    const pass = await new BuildCubesUseCase(s, 30).run();
    expect(s.rebuilt.sort()).toEqual(['cdr@1', 'dlr@3']);
    expect(s.watermark).toBe(960);
    expect(pass.lagS).toBe(100); // the oldest unbuilt mark (900) at now = 1000
  });

  it('re-reads the slack behind the watermark (a mark made visible late) and reports no lag when nothing waits', async () => {
    const s = new FakeCubes();
    s.watermark = 960;
    s.marks = [{ source: 'dlr', dayMs: 2 * DAY, at: 940 }]; // stamped before the watermark, seen late
    const pass = await new BuildCubesUseCase(s, 30).run();
    expect(s.rebuilt).toEqual(['dlr@2']);
    expect(s.writes).toEqual([]); // nothing newer than the watermark
    expect(pass.lagS).toBe(0);
  });

  it('resumes from the stored watermark after a restart: marks written while down are built', async () => {
    const s = new FakeCubes();
    s.watermark = 500;
    s.marks = [
      { source: 'dlr', dayMs: 1 * DAY, at: 100 }, // built long ago
      { source: 'dlr', dayMs: 5 * DAY, at: 700 },
    ];
    await new BuildCubesUseCase(s, 30).run();
    expect(s.rebuilt).toEqual(['dlr@5']);
    expect(s.watermark).toBe(700);
  });

  it('leaves the watermark where it was when a rebuild fails, so the next pass retries the day', async () => {
    const s = new FakeCubes();
    s.marks = [{ source: 'cdr', dayMs: 4 * DAY, at: 990 }];
    s.rebuild = async () => {
      throw new Error('ClickHouse away');
    };
    const useCase = new BuildCubesUseCase(s, 30);
    await expect(useCase.run()).rejects.toThrow('ClickHouse away');
    expect(s.writes).toEqual([]);
    s.rebuild = FakeCubes.prototype.rebuild;
    await useCase.run();
    expect(s.rebuilt).toEqual(['cdr@4']);
  });

  it('levels the derived cubes once per process, before its first marks, and again after a failed first try', async () => {
    const s = new FakeCubes();
    s.alignFails = 1;
    s.marks = [{ source: 'dlr', dayMs: 4 * DAY, at: 900 }];
    const uc = new BuildCubesUseCase(s, 30);
    await expect(uc.run()).rejects.toThrow('ClickHouse away');
    expect(s.rebuilt).toEqual([]); // no marks consumed by a pass that failed to align
    await uc.run();
    await uc.run();
    expect(s.aligns).toBe(2);
    expect(s.rebuilt).toContain('dlr@4');
  });
});
