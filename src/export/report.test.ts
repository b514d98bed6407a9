import { describe, expect, it } from 'vitest';
import { LAYER_COLUMNS, layerJson, type ReportJson } from '../core/report.ts';
import { reportJson, toCsv, writeReport } from './report.ts';
import { activationStats, mixedConfig } from '../testing/export-configs.ts';
import { images, smallGraph } from '../testing/small-graph.ts';

describe('report.json and layers.csv', () => {
  it('serialises a report as pretty JSON, typed arrays as arrays and non-finite numbers as null', () => {
    const text = reportJson({ a: 1, b: Int32Array.from([1, 2]), c: Infinity, d: { e: 'x' } });
    expect(text).toBe('{\n  "a": 1,\n  "b": [\n    1,\n    2\n  ],\n  "c": null,\n  "d": {\n    "e": "x"\n  }\n}\n');
  });

  it('quotes and guards CSV cells', () => {
    const csv = toCsv(['name', 'n'], [
      { name: 'plain', n: -3 },
      { name: 'a,"b"', n: 1.5 },
      { name: '=HYPERLINK("http://x")', n: 0 },
      { name: '-2+3', n: null },
      { name: 'two\nlines', n: 2 },
    ]);
    expect(csv.split('\r\n')).toEqual([
      'name,n', 'plain,-3', '"a,""b""",1.5', '"\'=HYPERLINK(""http://x"")",0', "'-2+3,", '"two\nlines",2', '',
    ]);
  });

  it('writes report.json and one CSV row per layer with its formats', () => {
    const g = smallGraph(['in', '@evil', 'pool', 'mix', 'fc']);
    const c = mixedConfig(g, activationStats(g, images(g, 20, 1)));
    const report = { model: { name: 'small' }, quantized: { memory_kb: 0.25 }, layers: layerJson(g, c) } as unknown as ReportJson;
    const [json, csv] = writeReport(report, g);
    expect(json.name).toBe('report.json');
    expect(JSON.parse(json.data as string)).toEqual(JSON.parse(JSON.stringify(report)));
    expect(csv.name).toBe('layers.csv');
    const lines = (csv.data as string).trim().split('\r\n');
    expect(lines[0]).toBe(LAYER_COLUMNS.join(','));
    expect(lines).toHaveLength(5);
    const w = c.nodes[1].weights!;
    expect(lines[1].startsWith(`'@evil,conv2d,6x6x3,57,1944,"Q(${w.bits},${w.frac})",`)).toBe(true);
    expect(lines[2]).toMatch(/^pool,maxPool,3x3x3,0,0,,,,,"Qu\(8,\d+\)",0,0,0$/);
    expect(lines[3]).toMatch(/^mix,conv2d,3x3x4,24,108,"Q\(6,\d+\)","Q\(16,\d+\)","Q\(6,\d+\)","Q\(16,\d+\)","Q\(8,\d+\)",/);
  });
});
