import { Outlet } from 'react-router';

import { Toasts } from '../../components/Toasts';

import { BundleReveal } from './BundleReveal';
import { FirstRunRedirect } from './FirstRunRedirect';
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
      <Toasts />
      <FirstRunRedirect />
      <BundleReveal />
    </div>
  );
}
