/** @module Executions per status, as an object with one property per status, so the OpenAPI schema declares each one. */
import { z } from 'zod';
import { executionStatuses } from './execution-states';

type Status = (typeof executionStatuses)[number];

export const ExecutionCounts = z.object(Object.fromEntries(executionStatuses.map((s) => [s, z.number().int()])) as Record<Status, z.ZodNumber>);
