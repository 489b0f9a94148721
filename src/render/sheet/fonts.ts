import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/**
 * The fonts the sheet is drawn with, shipped as npm packages so rendering never needs the network or
 * the system's fonts: DejaVu Sans (Latin with accents, Greek, Cyrillic, Hebrew, Arabic, symbols) and
 * Noto Emoji (monochrome emoji).
 */
export const SHEET_FONTS = {
  regular: () => join(packageDir('dejavu-fonts-ttf'), 'ttf', 'DejaVuSans.ttf'),
  bold: () => join(packageDir('dejavu-fonts-ttf'), 'ttf', 'DejaVuSans-Bold.ttf'),
  emoji: () => join(packageDir('@expo-google-fonts/noto-emoji'), '400Regular', 'NotoEmoji_400Regular.ttf'),
} as const;

export function sheetFontFiles(): string[] {
  return [SHEET_FONTS.regular(), SHEET_FONTS.bold(), SHEET_FONTS.emoji()];
}
