import { SupportDesk } from './support-desk.jsx';

// A server component: the page around the console is rendered on the server
// as usual; the console itself lives in a client component.
export default function Page() {
  return (
    <main style={{ maxWidth: '64rem', margin: '0 auto', padding: '1rem' }}>
      <h1>Support desk</h1>
      <SupportDesk />
    </main>
  );
}
