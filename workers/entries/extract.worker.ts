import { runWorker } from '../runtime/bootstrap';

runWorker('extract');
