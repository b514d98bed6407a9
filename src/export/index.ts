// The downloads of DESIGN.md §9. Every writer is pure: it takes the graph, the configuration
// and extras, and returns named files (text or bytes) that the CLI writes into its output
// folder and the worker wraps into Blobs.
export type { ExportFile } from './files.ts';
export { ExportError, fileBytes } from './files.ts';
export { writeFxp } from './fxp-write.ts';
export type { FxpOptions } from './fxp-write.ts';
export { readFxp, FxpReadError } from './fxp-read.ts';
export type { FxpModel, FxpValues } from './fxp-read.ts';
export type { FxpManifest, FxpNode, FxpTensor } from './fxp-types.ts';
export { buildCExport, cSizes, writeC } from './c/writer.ts';
export type { CSizes } from './c/writer.ts';
export type { CExportOptions, CExportResult, TestVectors } from './c/writer.ts';
export { referenceTestVectors } from './test-vectors.ts';
export { dequantizedGraph, writeTfjs } from './tfjs/writer.ts';
export type { TfjsOptions } from './tfjs/writer.ts';
export { layersCsv, reportJson, toCsv, writeReport } from './report.ts';
export { packBits, packedBytes, unpackBits } from './bitpack.ts';
