import { describe, expect, it } from 'vitest';
import { makeSnippet } from './snippet.ts';
import {
  analyze,
  MAX_DOC_TOKENS,
  parseQuery,
  stemWord,
  toFts5Match,
  tokenize,
  toTsqueryLiteral,
  toTsvectorLiteral,
} from './text-analysis.ts';

const stems = (text: string) => tokenize(text).map((t) => t.stem);

describe('text analysis', () => {
  it('gives Russian word forms one stem', () => {
    for (const group of [
      ['заказ', 'заказы', 'заказом', 'заказа', 'заказов', 'Заказам'],
      ['доставка', 'доставки', 'доставкой', 'доставку'],
      ['ёлка', 'елки', 'Ёлкой'],
      ['оплатить', 'оплатил', 'оплатила'],
      ['Кузнецов', 'Кузнецова', 'Кузнецову', 'Кузнецовым'],
      ['Сидоров', 'Сидорову', 'Сидоровой'],
      ['Лебедев', 'Лебедева', 'Лебедеву'],
    ]) {
      expect(new Set(group.map((w) => stems(w)[0])).size, group.join()).toBe(1);
    }
    expect(stems('заказ')[0]).not.toBe(stems('доставка')[0]);
  });

  it('gives English word forms one stem', () => {
    for (const group of [
      ['order', 'orders', 'ordered', 'ordering', 'ORDER'],
      ['delivery', 'deliveries'],
      ['refund', 'refunds', 'refunded'],
      ['run', 'running', 'runs'],
    ]) {
      expect(new Set(group.map((w) => stems(w)[0])).size, group.join()).toBe(1);
    }
  });

  it('keeps numbers, mixed words and other scripts as they are, and offsets point into the original', () => {
    const text = 'Заказ №15: iPhone15, 3.5 кг — café «Über»';
    const tokens = tokenize(text);
    expect(tokens.map((t) => text.slice(t.start, t.end))).toEqual([
      'Заказ',
      '15',
      'iPhone15',
      '3',
      '5',
      'кг',
      'café',
      'Über',
    ]);
    expect(tokens.map((t) => t.stem)).toEqual(['заказ', '15', 'iphone15', '3', '5', 'кг', 'café', 'über']);
    // A decomposed accent tokenises like the composed one.
    expect(stems('cafe\u0301')).toEqual(stems('café'));
    expect(stemWord('12345')).toBe('12345');
  });

  it('stores stems padded so term frequency is countable in SQL, capped in length', () => {
    expect(analyze(['Orders, orders!', null, 'заказы']).terms).toBe(' order  order  заказ ');
    const long = analyze([Array.from({ length: MAX_DOC_TOKENS + 50 }, () => 'word').join(' ')]);
    expect(long.count).toBe(MAX_DOC_TOKENS);
    expect(analyze(['', '!!!'])).toEqual({ terms: '', count: 0, stems: [] });
    expect(analyze([`${'x'.repeat(61)} ok`]).stems).toEqual(['ok']);
  });

  it('builds PostgreSQL tsvector literals with positions, without any PostgreSQL parsing', () => {
    expect(toTsvectorLiteral(['a', 'b', 'a'])).toBe("'a':1,3 'b':2");
    expect(toTsvectorLiteral(Array.from({ length: 300 }, () => 'x')).split(',').length).toBe(256);
  });

  it('parses words, quoted phrases and multi-token words into terms and phrases', () => {
    expect(parseQuery('Заказы доставка')).toEqual({ terms: ['заказ', 'доставк'], phrases: [] });
    expect(parseQuery('"blue kettle" orders')).toEqual({ terms: ['order'], phrases: [['blue', 'kettl']] });
    expect(parseQuery('john.smith@example.com')).toEqual({
      terms: [],
      phrases: [['john', 'smith', 'exampl', 'com']],
    });
    expect(parseQuery('«синий чайник» чайник')).toEqual({ terms: [], phrases: [['син', 'чайник']] });
    expect(parseQuery('"unclosed phrase here')).toEqual({
      terms: [],
      phrases: [['unclos', 'phrase', 'here']],
    });
    expect(parseQuery('!!! ---')).toEqual({ terms: [], phrases: [] });
    const q = parseQuery('"blue kettle" order');
    expect(toFts5Match(q)).toBe('"order" AND "blue kettl"');
    expect(toTsqueryLiteral(q)).toBe("'order' & ('blue' <-> 'kettl')");
  });
});

describe('snippets', () => {
  it('highlights matched word forms and phrases with offsets into the snippet text', () => {
    const s = makeSnippet('Где мой заказ? Жду заказы уже неделю', parseQuery('заказ'))!;
    expect(s.highlights.map((h) => s.text.slice(h.start, h.end))).toEqual(['заказ', 'заказы']);
    const p = makeSnippet('blue and red kettle; the blue kettle broke', parseQuery('"blue kettle"'))!;
    expect(p.highlights.map((h) => p.text.slice(h.start, h.end))).toEqual(['blue kettle']);
    expect(makeSnippet('nothing here', parseQuery('order'))).toBeNull();
  });

  it('cuts long texts around the first match at spaces, marking the cuts', () => {
    const before = 'слово '.repeat(100);
    const after = ' хвост'.repeat(100);
    const s = makeSnippet(`${before}Ваш ЗАКАЗ готов${after}`, parseQuery('заказ'))!;
    expect(s.text.startsWith('…')).toBe(true);
    expect(s.text.endsWith('…')).toBe(true);
    expect(s.text.length).toBeLessThanOrEqual(202);
    expect(s.highlights.map((h) => s.text.slice(h.start, h.end))).toEqual(['ЗАКАЗ']);
    expect(s.text).not.toMatch(/^…\S*слов[^о ]/);
  });

  it('never cuts a surrogate pair in half', () => {
    const text = `order${'😀'.repeat(150)}`;
    const s = makeSnippet(text, parseQuery('order'))!;
    expect(s.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    expect(s.text).not.toMatch(/(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(s.highlights.map((h) => s.text.slice(h.start, h.end))).toEqual(['order']);
  });
});
