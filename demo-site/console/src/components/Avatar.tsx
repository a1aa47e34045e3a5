import { initials } from '../lib/format';

export function Avatar({ name, size = 32 }: { name: string | null | undefined; size?: number }) {
  return <span class="avatar" aria-hidden="true" style={{ width: size, height: size, fontSize: size * 0.4 }}>{initials(name)}</span>;
}
