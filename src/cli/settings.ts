// The few environment variables a CLI command needs, read through the
// config module (the one reader of the environment). Only the command's own
// variables are read, so an unrelated bad value (a service's PORT) does not
// stop `hearken policy check`; a bad one of its own is a usage error, one
// line per variable, no stack trace. Light on imports: `audit export` uses it.
import { ConfigError, readSettings, type Config, type SettingKey } from '../runtime/config';
import { CliError, EXIT } from './errors';

export function cliSettings<K extends SettingKey>(keys: readonly K[]): Pick<Config, K> {
  try {
    return readSettings(keys);
  } catch (err) {
    if (err instanceof ConfigError) throw new CliError(err.message, EXIT.usage);
    throw err;
  }
}
