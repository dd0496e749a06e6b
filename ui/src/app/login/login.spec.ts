import { safeReturn } from './login';

describe('login return path', () => {
  it('follows only paths of this application', () => {
    expect(safeReturn('/alarms')).toBe('/alarms');
    expect(safeReturn('//evil.example/x')).toBe('/');
    expect(safeReturn('https://evil.example/')).toBe('/');
    expect(safeReturn('/login')).toBe('/');
    expect(safeReturn(null)).toBe('/');
  });
});
