import type { ComponentChildren } from 'preact';

/** The centred card of the screens shown before anyone is signed in (sign-in, setup, invite). */
export function AuthCard({ title, intro, children }: { title: string; intro?: ComponentChildren; children: ComponentChildren }) {
  return (
    <main class="signin" id="main">
      <div class="card signin-card">
        <div class="brand brand-large"><span class="brand-mark" aria-hidden="true">C</span> Chative</div>
        <h1 id="auth-title">{title}</h1>
        {intro && <div class="muted auth-intro">{intro}</div>}
        {children}
      </div>
    </main>
  );
}
