import { describe, expect, it } from 'vitest';
import { mapUrl, placeOf, sharedContactOf } from './rich-content.ts';

describe('placeOf', () => {
  it('reads coordinates from meta or from the text the server writes', () => {
    expect(placeOf({ text: '52.52, 13.405', meta: {} })).toMatchObject({
      latitude: 52.52,
      longitude: 13.405,
    });
    expect(placeOf({ text: 'Cafe, Main St 1 (-33.86, 151.2)', meta: {} })).toMatchObject({
      latitude: -33.86,
      longitude: 151.2,
    });
    expect(placeOf({ text: 'x', meta: { location: { latitude: 1.5, longitude: 2.5 } } })).toMatchObject({
      latitude: 1.5,
      longitude: 2.5,
    });
  });

  it('refuses coordinates out of range and text without any', () => {
    expect(placeOf({ text: '95, 200', meta: {} })).toBeNull();
    expect(placeOf({ text: 'hello', meta: {} })).toBeNull();
  });

  it('links to a map', () => {
    expect(mapUrl({ latitude: 52.52, longitude: 13.405, label: '' })).toBe(
      'https://www.openstreetmap.org/?mlat=52.520000&mlon=13.405000#map=16/52.520000/13.405000',
    );
  });
});

describe('sharedContactOf', () => {
  it('splits the name and a dialable number', () => {
    expect(sharedContactOf({ text: 'Anna Smith +49 (30) 123-456', meta: {} })).toEqual({
      name: 'Anna Smith',
      phone: '+4930123456',
    });
    expect(
      sharedContactOf({ text: 'x', meta: { sharedContact: { name: 'Bo', phone: '+1 555 0100' } } }),
    ).toEqual({
      name: 'Bo',
      phone: '+15550100',
    });
    expect(sharedContactOf({ text: 'Just a name', meta: {} })).toEqual({
      name: 'Just a name',
      phone: null,
    });
  });
});
