import { HashRouter, Navigate, Route, Routes } from 'react-router';

import { NoTransportScreen } from '../features/access/NoTransportScreen';
import { UnauthorizedScreen } from '../features/access/UnauthorizedScreen';
import { BundlePage } from '../features/raw/BundlePage';
import { Layout } from '../features/shell/Layout';

import { useAppStore, useClient } from './context';
import { screens } from './screens';

/** Hash routes work the same on file:// (Electron) and http:// (`sluice serve`). */
export function App() {
  const connection = useAppStore((s) => s.connection);
  const hasTransport = useClient().transportKind !== null;

  if (!hasTransport) return <NoTransportScreen />;
  if (connection === 'unauthorized') return <UnauthorizedScreen />;

  return (
    <HashRouter>
      <Routes>
        <Route element={<Layout />}>
          <Route index element={<Navigate to="/jobs" replace />} />
          {screens.map(({ id, Component }) => (
            <Route key={id} path={id} element={<Component />} />
          ))}
          {/* The raw inspector in bundle mode: an open .sluice file, not the database. */}
          <Route path="raw/bundle/:bundleId" element={<BundlePage />} />
          <Route path="*" element={<Navigate to="/jobs" replace />} />
        </Route>
      </Routes>
    </HashRouter>
  );
}
