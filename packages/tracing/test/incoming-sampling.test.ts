import { createHash } from 'node:crypto';
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-node';
import { describe, expect, it } from 'vitest';
import {
  EdgeSampler,
  leftOut,
  parseTraceparent,
  type IncomingSampling,
} from '../src/incoming-sampling.ts';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SAMPLED = `00-${TRACE}-b7ad6b7169203331-01`;
const UNSAMPLED = `00-${TRACE}-b7ad6b7169203331-00`;

const policy = (edge: boolean, ratio: number, trustClientSampling = false): IncomingSampling => ({
  edge,
  trustClientSampling,
  ratio,
  ratioSampler: new TraceIdRatioBasedSampler(ratio),
});

describe('parseTraceparent', () => {
  it('reads the trace id and the sampled flag; refuses what is malformed or all zeros', () => {
    expect(parseTraceparent(SAMPLED)).toEqual({ traceId: TRACE, sampled: true });
    expect(parseTraceparent(UNSAMPLED)).toEqual({ traceId: TRACE, sampled: false });
    // Flags are a bit field: 03 is sampled too.
    expect(parseTraceparent(`00-${TRACE}-b7ad6b7169203331-03`)?.sampled).toBe(true);
    expect(parseTraceparent(undefined)).toBeUndefined();
    expect(parseTraceparent([SAMPLED, SAMPLED])).toBeUndefined();
    expect(parseTraceparent('00-xyz-b7ad6b7169203331-01')).toBeUndefined();
    expect(parseTraceparent(`00-${'0'.repeat(32)}-b7ad6b7169203331-01`)).toBeUndefined();
  });
});

describe('which incoming requests are traced', () => {
  it('behind the edge: only what arrives sampled', () => {
    const behind = policy(false, 1);
    expect(leftOut(behind, SAMPLED)).toBe(false);
    expect(leftOut(behind, UNSAMPLED)).toBe(true);
    expect(leftOut(behind, undefined)).toBe(true);
  });

  it('at the edge: a share of new requests, by the ratio', () => {
    const edge = policy(true, 0.25);
    expect(leftOut(edge, undefined, () => 0.1)).toBe(false);
    expect(leftOut(edge, undefined, () => 0.3)).toBe(true);
    expect(leftOut(policy(true, 0), undefined, () => 0)).toBe(true);
    expect(leftOut(policy(true, 1), undefined, () => 0.999)).toBe(false);
  });

  it("at the edge: a client's flag decides only when trusted; else its trace id does, by the ratio", () => {
    expect(leftOut(policy(true, 0), SAMPLED)).toBe(true);
    expect(leftOut(policy(true, 1), UNSAMPLED)).toBe(false);
    expect(leftOut(policy(true, 0, true), SAMPLED)).toBe(false);
    expect(leftOut(policy(true, 1, true), UNSAMPLED)).toBe(true);
    // By trace id: the same decision every time, and the same as the SDK's ratio sampler's.
    const half = policy(true, 0.5);
    const decisions = Array.from({ length: 200 }, (_, i) => {
      const traceId = createHash('sha256').update(String(i)).digest('hex').slice(0, 32);
      const header = `00-${traceId}-b7ad6b7169203331-01`;
      const sdk =
        half.ratioSampler.shouldSample(ROOT_CONTEXT, traceId, '', SpanKind.SERVER, {}, [])
          .decision === SamplingDecision.RECORD_AND_SAMPLED;
      expect(leftOut(half, header)).toBe(leftOut(half, header));
      expect(leftOut(half, header)).toBe(!sdk);
      return leftOut(half, header);
    });
    expect(decisions).toContain(true);
    expect(decisions).toContain(false);
  });
});

describe('EdgeSampler', () => {
  it('records every server span (the request was kept already) and asks the rest for others', () => {
    const sampler = new EdgeSampler(new AlwaysOffSampler());
    const decide = (kind: SpanKind) =>
      sampler.shouldSample(ROOT_CONTEXT, TRACE, 'x', kind, {}, []).decision;
    expect(decide(SpanKind.SERVER)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(SpanKind.INTERNAL)).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(SpanKind.PRODUCER)).toBe(SamplingDecision.NOT_RECORD);
  });
});
