import { Component } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { FacebookMessengerAdapter } from 'agent-console/adapters';
import { AgentDeskComponent } from './agent-desk.component';

@Component({
  selector: 'app-root',
  imports: [AgentDeskComponent],
  template: `<app-agent-desk [adapter]="adapter" />`,
})
class AppComponent {
  // One adapter for the page's lifetime.
  readonly adapter = new FacebookMessengerAdapter({
    url: 'https://crm.example.com/messenger',
    token: () => fetch('/api/agent-token').then((response) => response.text()),
  });
}

bootstrapApplication(AppComponent).catch((error) => console.error(error));
