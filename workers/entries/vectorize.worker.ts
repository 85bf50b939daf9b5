import { runWorker } from '../runtime/bootstrap';

runWorker('vectorize');
