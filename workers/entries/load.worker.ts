import { runWorker } from '../runtime/bootstrap';

runWorker('load');
