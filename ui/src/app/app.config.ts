import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import {
  ApplicationConfig,
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
} from '@angular/core';
import { MAT_FORM_FIELD_DEFAULT_OPTIONS } from '@angular/material/form-field';
import { TitleStrategy, provideRouter, withComponentInputBinding } from '@angular/router';

import { routes } from './app.routes';
import { accessInterceptor } from './core/access';
import { provideIcons } from './core/icon-registry';
import { Session, sessionInterceptor } from './core/session';
import { I18nTitleStrategy } from './core/title';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes, withComponentInputBinding()),
    provideHttpClient(withFetch(), withInterceptors([sessionInterceptor, accessInterceptor])),
    provideIcons(),
    // Who is using the browser is known before the first screen: the session (its CSRF token
    // and role), or the embed link in the address. One request on the local network.
    provideAppInitializer(() => {
      const session = inject(Session);
      session.initFromLocation(window.location);
      return session.load();
    }),
    { provide: TitleStrategy, useClass: I18nTitleStrategy },
    {
      provide: MAT_FORM_FIELD_DEFAULT_OPTIONS,
      useValue: { appearance: 'outline', subscriptSizing: 'dynamic' },
    },
  ],
};
