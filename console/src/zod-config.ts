/**
 * @module Imported first by main.tsx, before any schema is built: zod probes `new Function` when an object schema
 * is created, and the CSP (no eval) reports that probe as a violation even though zod catches it.
 */
import { config } from 'zod';

config({ jitless: true });
