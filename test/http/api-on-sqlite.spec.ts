import { describeHttpApi } from './api.http-suite';
import { openSqliteStoreUnderTest } from './sqlite-store-under-test';

describeHttpApi('the embedded SQLite store', openSqliteStoreUnderTest);
