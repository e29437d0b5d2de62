import { Component, CUSTOM_ELEMENTS_SCHEMA, input, signal } from '@angular/core';
import 'agent-console';
import type { RequestAnswerDetail } from 'agent-console';
import type { ChannelAdapter } from 'agent-console/adapters';

/** The console in an Angular template: `[adapter]` sets the property, `(agent-accept)` listens. */
@Component({
  selector: 'app-agent-desk',
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <section aria-label="Customer conversations">
      <agent-console [adapter]="adapter()" max-sessions="5" toast-position="bottom-end" (agent-accept)="onAccept($event)"></agent-console>
      <p>Accepted today: {{ accepted().length }}</p>
    </section>
  `,
})
export class AgentDeskComponent {
  readonly adapter = input.required<ChannelAdapter>();
  readonly accepted = signal<string[]>([]);

  onAccept(event: CustomEvent<RequestAnswerDetail>) {
    this.accepted.update((ids) => [...ids, event.detail.requestId]);
  }
}
