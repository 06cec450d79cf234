// Sign in with a username and password (the token endpoint's password grant).

import { h } from '../dom.js';
import { login } from '../api.js';
import { busy, field, pageHeading } from '../ui.js';
import { navigate } from '../nav.js';

export async function loginPage(main) {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, spellcheck: 'false' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const errors = h('div');
  const form = h('form.card.login', field('Username', username), field('Password', password), errors, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const ok = await busy(submit, errors, async () => {
      await login(username.value.trim(), password.value);
      return true;
    });
    if (!ok) {
      password.select();
      return;
    }
    const next = new URLSearchParams(location.search).get('next');
    navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
  });
  pageHeading(main, 'Sign in to Cupola');
  main.append(form);
  username.focus();
}
