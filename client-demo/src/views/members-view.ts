/** Members with roles and connection state; the host hands the role over or kicks (and bans). */
import { isHost, type App } from '../app-context.ts';
import { byId, h, replaceKeepingFocus } from '../dom.ts';

export function renderMembers(app: App): void {
  const room = app.state.room;
  if (!room) return;
  const host = isHost(app);
  const online = room.members.filter((m) => m.connected).length;
  byId('members-info').textContent = `${online} of ${room.members.length} connected`;
  replaceKeepingFocus(
    byId('members-list'),
    room.members.map((m) => {
      const self = m.userId === app.me.userId;
      return h('li', { class: 'member', 'data-user-id': m.userId },
        h('span', { class: `dot ${m.connected ? 'on' : 'off'}`, 'aria-hidden': 'true' }),
        h('span', { class: 'grow' },
          h('span', { class: 'name' }, m.displayName, self ? ' (you)' : ''),
          ' ',
          h('span', { class: `role ${m.role}` }, m.role),
          h('span', { class: 'sr-only' }, m.connected ? ', connected' : ', disconnected'),
        ),
        host && !self &&
          h('span', { class: 'row tight', role: 'group', 'aria-label': `Manage ${m.displayName}` },
            h('button', { type: 'button', 'data-fk': `host-${m.userId}`, disabled: !m.connected,
              title: m.connected ? undefined : 'only a connected member can take over',
              onclick: () => void app.act('host:transfer', { userId: m.userId }, `${m.displayName} is now the host`) }, 'Make host'),
            h('button', { type: 'button', class: 'danger', 'data-fk': `kick-${m.userId}`,
              onclick: () => void app.act('member:kick', { userId: m.userId }, `Removed ${m.displayName}`) }, 'Kick'),
            h('button', { type: 'button', class: 'danger', 'data-fk': `ban-${m.userId}`,
              onclick: () => {
                if (confirm(`Ban ${m.displayName} from this room?`)) void app.act('member:kick', { userId: m.userId, ban: true }, `Banned ${m.displayName}`);
              } }, 'Ban'),
          ),
      );
    }),
  );
}
