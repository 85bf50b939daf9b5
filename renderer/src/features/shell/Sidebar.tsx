import { NavLink } from 'react-router';

import { screenGroups, screens } from '../../app/screens';

export function Sidebar() {
  return (
    <nav className="shell-sidebar" aria-label="Screens">
      {screenGroups.map((group) => (
        <div className="nav-group" key={group}>
          <div className="nav-group-label">{group}</div>
          {screens
            .filter((screen) => screen.group === group)
            .map((screen) => (
              <NavLink
                key={screen.id}
                to={`/${screen.id}`}
                data-testid={`nav-${screen.id}`}
                className={({ isActive }) => (isActive ? 'nav-link active' : 'nav-link')}
              >
                {screen.label}
              </NavLink>
            ))}
        </div>
      ))}
    </nav>
  );
}
