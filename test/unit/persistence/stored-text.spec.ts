import { FieldChecker } from '../../../src/acquirers/validation';
import { boundText, cleanText, storedText } from '../../../src/capture/persistence/entities/stored-text';

describe('storable text', () => {
  it('replaces NUL, other control characters and lone surrogates one for one', () => {
    expect(cleanText('a\u0000b\u0007c\u009fd\ud800e')).toBe('a\ufffdb\ufffdc\ufffdd\ufffde');
    expect(cleanText('caf\u00e9 \ud83d\ude00 ok')).toBe('caf\u00e9 \ud83d\ude00 ok');
  });

  it('cuts by code points, as the databases count, and marks the cut with an ellipsis', () => {
    expect(boundText('x'.repeat(64), 64)).toBe('x'.repeat(64));
    expect(boundText('x'.repeat(65), 64)).toBe(`${'x'.repeat(63)}\u2026`);
    const emoji = '\ud83d\ude00'.repeat(64);
    expect(boundText(emoji, 64)).toBe(emoji);
    expect([...boundText(`${emoji}!`, 64)]).toHaveLength(64);
  });

  it('the column transformer cleans and bounds strings and leaves everything else alone', () => {
    const t = storedText(8);
    expect(t.to('abc\u0000defghijk')).toBe('abc\ufffddef\u2026');
    expect(t.to(null)).toBeNull();
    expect(t.from('kept\u0000')).toBe('kept\u0000');
  });

  it('FieldChecker hands out cleaned strings; text() also cuts where no rule says how long', () => {
    const f = new FieldChecker();
    expect(f.req('id', 'P\u0000Y')).toBe('P\ufffdY');
    expect(f.text('msg', `m${'x'.repeat(300)}`, 256)).toHaveLength(256);
    expect(f.opt('code', 'x'.repeat(65), 64)).toHaveLength(65);
    expect(f.errors).toEqual([{ field: 'code', rule: 'must be at most 64 characters' }]);
  });
});
