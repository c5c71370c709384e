// The modelling choices where Hyper-V's behaviour is not documented. Each is a `model` key in the plan;
// its default and the reason for it are in the field table (schema.ts, modelFields), overridable per
// plan and, in the editor, per user through settings.
import type { ModelParameters } from './plan';
import { defaults } from './fields';
import { modelFields } from './schema';

export const MODEL_DEFAULTS: ModelParameters = defaults(modelFields) as unknown as ModelParameters;
