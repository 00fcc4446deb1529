/**
 * Where a key moves focus in a group of `count` items (arrow keys wrap, Home and End jump), or null for any other key.
 * @example nextIndex('ArrowRight', 4, 5) // → 0
 */
export function nextIndex(key: string, current: number, count: number): number | null {
  if (count === 0) return null;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return (current + 1) % count;
    case 'ArrowLeft':
    case 'ArrowUp':
      return (current - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
