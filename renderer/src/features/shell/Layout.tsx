import { Outlet } from 'react-router';

import { Header } from './Header';
import { Sidebar } from './Sidebar';

export function Layout() {
  return (
    <div className="shell">
      <Header />
      <Sidebar />
      <main className="shell-main">
        <Outlet />
      </main>
    </div>
  );
}
