/** @module Server settings a client shows: how long history is kept. */
import { z } from 'zod';

export const RetentionSettings = z.object({
  /** Days finished executions (with their outputs) and their requests are kept; 0 keeps them forever. */
  executionDays: z.number().int().min(0),
  /** Days finished detection-rule runs are kept; 0 keeps them forever. */
  detectionDays: z.number().int().min(0),
});
export type RetentionSettings = z.infer<typeof RetentionSettings>;

export const Settings = z.object({
  retention: RetentionSettings,
});
export type Settings = z.infer<typeof Settings>;
