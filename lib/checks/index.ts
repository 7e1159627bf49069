export { checkEnvironment, checkOutput, formatFindings, formatWaived, waiversOf, type CheckedEnvironment, type CheckReport, type WaivedFinding, type Waiver } from './run';
export { formatFinding, objectRef, type Finding, type Manifest, type ManifestFile } from './finding';
export { RULES, RULE_NAMES, type RuleName } from './rules';
export { schemaSource } from './schema/check-schemas';
