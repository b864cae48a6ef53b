// Which brand a pack speaks for: the key of its pulse workflow. A pack is one
// brand (accounts.yaml names its accounts and brand names), so the key comes
// from there and stays the same across pack versions.
import type { PolicyPack } from '../policy/types';

export function brandKey(pack: Pick<PolicyPack, 'brandNames' | 'accounts'>): string {
  const name = pack.brandNames[0] ?? pack.accounts[0]?.handle ?? 'default';
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'default';
}
