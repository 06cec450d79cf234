// Users (admins): create one — its login at the token server (SCIM /Users, as `cupola
// create-user` does), then its record in the Cloud Controller (POST /v3/users) — and look
// users up by name.

import { h, clear } from '../dom.js';
import { all, currentUser, get, post } from '../api.js';
import { busy, done, field, note, pageHeading, section, table } from '../ui.js';
import { crumbs, link } from '../nav.js';

// The token server's address (the API root's "uaa" link), without a trailing slash.
async function tokenServer() {
  const root = await get('/');
  const href = root.links && root.links.uaa && root.links.uaa.href;
  return href ? href.replace(/\/$/, '') : '';
}

async function createUser(username, password) {
  const uaa = await tokenServer();
  let made;
  try {
    made = await post(`${uaa}/Users`, {
      userName: username,
      password,
      origin: 'uaa',
      name: { familyName: username, givenName: username },
      emails: [{ value: username, primary: true }],
    });
  } catch (e) {
    if (e.status === 409) throw new Error(`A user named ${username} already exists.`);
    throw e;
  }
  return post('/v3/users', { guid: made.id });
}

function usersTable(users) {
  return table(
    'Users found',
    ['Username', 'Origin', 'GUID'],
    users.map((u) =>
      h('tr', { 'data-user': u.username || u.guid }, h('th', { scope: 'row' }, u.username || '—'), h('td', u.origin || '—'), h('td', h('code', u.guid))),
    ),
  );
}

function findSection() {
  const name = h('input', { type: 'search', name: 'username', autocomplete: 'off', spellcheck: 'false', required: true });
  const find = h('button', { type: 'submit' }, 'Find');
  const results = h('div', { 'aria-live': 'polite' });
  const form = h('form.inline-form', { role: 'search', 'aria-label': 'Find a user' }, field('Username to find', name), find);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const wanted = name.value.trim();
    if (!wanted) return;
    await busy(find, results, async () => {
      const users = await all('/v3/users', { usernames: wanted });
      clear(results, users.length ? usersTable(users) : note(`No user is named “${wanted}”.`));
    });
  });
  return { element: section('Find a user', form, results), show: (users) => clear(results, usersTable(users)) };
}

export async function usersPage(main) {
  crumbs([['/', 'Organizations'], ['/users', 'Users']]);
  pageHeading(main, 'Users');
  if (!currentUser().admin) {
    main.append(note('Only admins create users.'), h('p', link('/', 'Back to your organizations')));
    return;
  }
  const username = h('input', { name: 'new-username', autocomplete: 'off', spellcheck: 'false', required: true, maxlength: 255 });
  const password = h('input', { name: 'new-password', type: 'password', autocomplete: 'new-password', required: true });
  const again = h('input', { name: 'new-password-again', type: 'password', autocomplete: 'new-password', required: true });
  const create = h('button', { type: 'submit', class: 'primary' }, 'Create user');
  const errors = h('div');
  const status = h('div', { 'aria-live': 'polite' });
  const finder = findSection();
  const form = h(
    'form.quota-form',
    { 'aria-label': 'Create a user' },
    field('Username', username),
    field('Password', password),
    field('Password again', again),
    errors,
    create,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const name = username.value.trim();
    const made = await busy(create, errors, async () => {
      if (!name) throw new Error('Give the user a name.');
      if (password.value !== again.value) throw new Error('The two passwords differ.');
      return createUser(name, password.value);
    });
    if (!made) return;
    done(`User ${name} created`);
    clear(status, h('p', `User ${name} created. An org manager can now add them to an organization or space.`));
    finder.show([made]);
    form.reset();
    username.focus();
  });
  main.append(
    section('New user', h('p.muted', 'The user signs in with this username and password.'), status, form),
    finder.element,
  );
}
