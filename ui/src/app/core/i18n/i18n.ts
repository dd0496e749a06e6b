import {
  DOCUMENT,
  Injectable,
  Pipe,
  PipeTransform,
  computed,
  effect,
  inject,
  signal,
} from '@angular/core';

import CONFIG_PROBLEMS_EN from './config-problems.en.json';
import CONFIG_PROBLEMS_FR from './config-problems.fr.json';
import { EN } from './en';
import FAILURE_REASONS_EN from './failure-reasons.en.json';
import FAILURE_REASONS_FR from './failure-reasons.fr.json';
import { FR, MessageKey } from './fr';

export type Lang = 'fr' | 'en';
export type Params = Readonly<Record<string, string | number>>;

export const LANGS: readonly Lang[] = ['fr', 'en'];
const DICTIONARIES: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = {
  fr: FR,
  en: EN,
};
const STORAGE_KEY = 'vigie.lang';

/**
 * Catalogues of coded messages the server sends as a code and positional parameters ({0}, {1}…):
 * the configuration's problems (adapters/config) and the failure reasons of notifications
 * (adapters/httpapi). Go tests check that every code the server can send has a text in both
 * languages (TestEveryProblemCodeIsTranslated, TestEveryFailureReasonIsTranslated).
 */
export type Catalogue = 'config' | 'reason';
const CATALOGUES: Readonly<
  Record<Catalogue, Readonly<Record<Lang, Readonly<Record<string, string>>>>>
> = {
  config: { fr: CONFIG_PROBLEMS_FR, en: CONFIG_PROBLEMS_EN },
  reason: { fr: FAILURE_REASONS_FR, en: FAILURE_REASONS_EN },
};

/** BCP 47 tags used for number and date formatting. */
export const LOCALES: Readonly<Record<Lang, string>> = { fr: 'fr-FR', en: 'en-GB' };

/**
 * Runtime translation: one build serves French (default) and English. The chosen language is
 * remembered in localStorage; templates use the `t` pipe, code uses `t()`.
 */
@Injectable({ providedIn: 'root' })
export class I18n {
  private readonly document = inject(DOCUMENT);
  readonly lang = signal<Lang>(readStoredLang());
  readonly locale = computed(() => LOCALES[this.lang()]);

  constructor() {
    effect(() => {
      const lang = this.lang();
      this.document.documentElement.lang = lang;
      try {
        localStorage.setItem(STORAGE_KEY, lang);
      } catch {
        // Private browsing: the choice lasts for the session only.
      }
    });
  }

  setLang(lang: Lang): void {
    this.lang.set(lang);
  }

  toggle(): void {
    this.lang.update((l) => (l === 'fr' ? 'en' : 'fr'));
  }

  /** Translates key, replacing {name} placeholders; an unknown key is returned as is. */
  t(key: MessageKey | string, params?: Params): string {
    const dict = DICTIONARIES[this.lang()] as Readonly<Record<string, string>>;
    const text = dict[key] ?? (FR as Readonly<Record<string, string>>)[key] ?? key;
    return params ? interpolate(text, params) : text;
  }

  /**
   * A coded message in the current language: the catalogue's text for code with {0}, {1}…
   * replaced by params; fallback (the server's English) when the code is absent or unknown.
   */
  coded(
    catalogue: Catalogue,
    code: string | undefined | null,
    params: readonly string[] | undefined | null,
    fallback: string,
  ): string {
    const text = code ? CATALOGUES[catalogue][this.lang()][code] : undefined;
    if (text === undefined) {
      return fallback;
    }
    return interpolate(text, Object.fromEntries((params ?? []).map((p, i) => [String(i), p])));
  }

  /** Whether key exists, for optional translations such as an event type's label. */
  has(key: string): boolean {
    return key in DICTIONARIES[this.lang()];
  }
}

export function interpolate(text: string, params: Params): string {
  return text.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in params ? String(params[name]) : m,
  );
}

function readStoredLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'fr' || stored === 'en') {
      return stored;
    }
  } catch {
    // No storage: default.
  }
  return 'fr';
}

/**
 * `{{ 'overview.title' | t }}` or `{{ 'card.level' | t: { value: v } }}`. Impure so that it
 * re-reads the language signal: switching language updates every string at once.
 */
@Pipe({ name: 't', pure: false })
export class TranslatePipe implements PipeTransform {
  private readonly i18n = inject(I18n);

  transform(key: MessageKey | string, params?: Params): string {
    return this.i18n.t(key, params);
  }
}
