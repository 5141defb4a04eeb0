/**
 * The inverse of src/engine/format: read what a real box printed, diagnose it,
 * and lay it out for /explain/ and `npm run explain`. Pure TypeScript, no DOM.
 */
export * from './types';
export { parseCapture, CaptureReader } from './capture';
export { badness, type Badness, type Ranked } from './badness';
export { diagnose, estimateMachine, SEVERITY, FINDING_TITLES, type Diagnosis, type Finding, type FindingKind, type MachineEstimate } from './diagnose';
export { explain, renderText, renderMarkdown, adjSentences, type Explanation, type BlockView, type TableView, type Cell } from './view';
export { fieldDocs, allFieldLinks, type FieldDoc } from './fields';
export { MAX_PASTE_CHARS } from './lines';
