// SPDX-License-Identifier: LGPL-3.0-or-later
// The event-loop clients on mailwire::SslSocket: the same code as for QSslSocket.
#include <mailwire/ssl_socket.h>

#include "bench_qt_client.h"

namespace bench {

const QtClient &sslSocketClient()
{
    using mailwire::SslSocket;
    static const QtClient client{"SslSocket", &receiveBulk<SslSocket>, &sendBulk<SslSocket>,
                                 &handshakeRun<SslSocket>, &slowReceiveRun<SslSocket>};
    return client;
}

} // namespace bench
