// The modelling choices where Hyper-V's behaviour is not documented. Each is a `model` key in the plan
// (schema.ts describes it), overridable per plan and, in the editor, per user through settings.
import type { ModelParameters } from './plan';
import { MB } from './units';

export const MODEL_DEFAULTS: ModelParameters = {
  /** Hyper-V's balancer runs about once a second [doc]. */
  tickSeconds: 1,
  /** A guest boots in about a minute; meanwhile it holds its whole startup memory [book]. */
  bootSeconds: 60,
  /** 0: the host's VMs start as soon as it restarts; set the real reboot time for later timestamps. */
  hostBootSeconds: 0,
  /** Hot-add is fast; 256 MB/s lets a VM grow by a few GB within seconds, as observed in practice. */
  addRatePerSecond: 256 * MB,
  /** Ballooning is gentler than hot-add; 64 MB/s drains a 1 GB Smart Paging file in 16 s. */
  removeRatePerSecond: 64 * MB,
  /** The documented Smart Paging target: no longer than 10 minutes [book]. */
  smartPagingTargetSeconds: 600,
  /** Not documented, so a choice: a Smart Paging restart needs the VM's minimum in physical memory. */
  smartPagingRequiresMinimum: true,
  /** Not documented, so a choice: a Smart Paging restart fails when the folder's volume cannot hold the file. */
  smartPagingRequiresDisk: true,
};
