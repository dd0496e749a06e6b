import { describePath, offsetOf } from './config-model';

describe('configuration problems in words', () => {
  it('names each part of a path, counting items from 1', () => {
    expect(describePath('dams[0].thresholds[1].level_m', 'fr')).toBe(
      'Ouvrage 1, seuil 2, niveau (m)',
    );
    expect(describePath('dams[2].capacity_m3', 'en')).toBe('Dam 3, capacity (m³)');
    expect(describePath('operators[0].phone', 'fr')).toBe('Personne d’astreinte 1, téléphone');
  });

  it('keeps what it does not know', () => {
    expect(describePath('something.odd[3]', 'fr')).toBe('something, odd 4');
    expect(describePath('', 'fr')).toBe('');
  });

  it('finds the offset of a line and column', () => {
    const text = 'a: 1\nbb: 2\nccc: 3\n';
    expect(offsetOf(text, 1, 1)).toBe(0);
    expect(offsetOf(text, 2, 5)).toBe(9);
    expect(offsetOf(text, 3, 1)).toBe(11);
    expect(offsetOf(text, 9, 1)).toBe(text.length);
  });
});
