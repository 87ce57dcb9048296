import type { Edit } from './body-edit';

export interface RuleCase {
  edit: Edit;
  field: string;
  rule: string;
  /** The edited value, short enough for a test title. */
  shown: string;
}

/** Table rows [edit, field, rule] as named cases for it.each titles. */
export function cases(rows: [Edit, string, string][]): RuleCase[] {
  return rows.map(([edit, field, rule]) => {
    const value = typeof edit[1] === 'symbol' ? '(absent)' : JSON.stringify(edit[1]);
    return {
      edit,
      field,
      rule,
      shown: value.length > 20 ? `${value.slice(0, 12)}...(${value.length - 2} chars)` : value,
    };
  });
}
