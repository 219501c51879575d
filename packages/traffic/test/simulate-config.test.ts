import { describe, expect, it } from 'vitest';
import { readSimConfig } from '../src/simulate-config.js';

describe('readSimConfig: CDRs', () => {
  it('publishes CDRs to cdr.generated.v1 by default', () => {
    expect(readSimConfig({}, 0).cdrSubject).toBe('cdr.generated.v1');
    expect(readSimConfig({ SIM_CDRS: '' }, 0).cdrSubject).toBe('cdr.generated.v1');
    expect(readSimConfig({ SIM_CDRS: '1' }, 0).cdrSubject).toBe('cdr.generated.v1');
  });

  it('takes SIM_CDR_SUBJECT, and SIM_CDRS=0 turns CDRs off', () => {
    expect(readSimConfig({ SIM_CDR_SUBJECT: 'x.cdr' }, 0).cdrSubject).toBe('x.cdr');
    expect(readSimConfig({ SIM_CDRS: '0', SIM_CDR_SUBJECT: 'x.cdr' }, 0).cdrSubject).toBeNull();
    expect(readSimConfig({ SIM_CDRS: 'false' }, 0).cdrSubject).toBeNull();
  });

  it('lists a bad SIM_CDRS with the other bad variables', () => {
    expect(() => readSimConfig({ SIM_CDRS: 'yes', SIM_RATE: '-1' }, 0)).toThrow(
      'invalid simulator configuration: SIM_RATE=-1, SIM_CDRS=yes',
    );
  });
});
