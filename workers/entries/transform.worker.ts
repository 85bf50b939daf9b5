import { runWorker } from '../runtime/bootstrap';

runWorker('transform');
