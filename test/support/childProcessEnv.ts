/**
 * Loaded in every mocha worker (.mocharc.json "require"), before any spec. The sandbox this
 * project is developed and tested in sets NODE_EXTRA_CA_CERTS to the system bundle; Node 20 then
 * parses every certificate in it at each start (~90 ms of CPU per `node` on these 2 cores, against
 * ~45 ms without). The tests start well over a hundred node processes (the stand-in `pulumi`, the
 * docker stand-in, the promote/status entry points), and every one of them talks to 127.0.0.1
 * only, so the variable is dropped from the environment the children inherit. Product code never
 * reads or sets it; a real run keeps whatever the user's shell has.
 */
delete process.env.NODE_EXTRA_CA_CERTS;
