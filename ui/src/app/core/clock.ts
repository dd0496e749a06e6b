import { DestroyRef, Injectable, inject, signal } from '@angular/core';

/** Wall-clock time in ms, updated every second, so that ages and countdowns tick. */
@Injectable({ providedIn: 'root' })
export class Clock {
  readonly now = signal(Date.now());

  constructor() {
    const id = setInterval(() => this.now.set(Date.now()), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(id));
  }
}
