// What every bench section receives and gives back.
import type { Comparison, Figure } from './report';

export type BenchContext = {
  quick: boolean;
  /** Repository root. */
  root: string;
  log: (msg: string) => void;
};

export type SectionResult = { figures: Figure[]; comparisons?: Comparison[]; notes?: string[] };
