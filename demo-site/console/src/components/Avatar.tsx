import { initials } from '../lib/format';

export function Avatar({ name, size = 32 }: { name: string | null | undefined; size?: number }) {
  return <span class="avatar" aria-hidden="true" style={{ width: `${size}px`, height: `${size}px`, fontSize: `${Math.round(size * 0.4)}px` }}>{initials(name)}</span>;
}
