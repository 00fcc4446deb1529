/** A throw-away PostgreSQL database for one benchmark, or null when no server answers. */
import { postgresAdminUrl } from '../../backend/src/testing/harness';

export async function withPostgresDatabase<T>(fn: (url: string) => Promise<T>): Promise<T | null> {
  const { default: postgres } = await import('postgres');
  const admin = postgres(postgresAdminUrl, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  const name = `fixpoint_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  try {
    await admin.unsafe(`create database ${name}`);
  } catch {
    await admin.end();
    return null;
  }
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
