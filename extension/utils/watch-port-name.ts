/** Name of the runtime port that carries live execution status (zod-free so content scripts can import it). */
export const watchPortName = 'fixpoint-watch';
