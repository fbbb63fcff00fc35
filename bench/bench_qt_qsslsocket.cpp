// SPDX-License-Identifier: LGPL-3.0-or-later
// The event-loop clients on Qt's own QSslSocket: the reference.
#include "bench_qt_client.h"

namespace bench {

/// QSslSocket resumes only when told: the ticket of the last connection goes into the
/// configuration of the next (SslOptionDisableSessionPersistence must be off).
template <> struct TicketCarrier<QSslSocket>
{
    static void keep(const QSslSocket &socket, QSslConfiguration *config)
    {
        const QByteArray ticket = socket.sslConfiguration().sessionTicket();
        if (!ticket.isEmpty())
            config->setSessionTicket(ticket);
    }
};

const QtClient &qSslSocketClient()
{
    static const QtClient client{"QSslSocket", &receiveBulk<QSslSocket>, &sendBulk<QSslSocket>,
                                 &handshakeRun<QSslSocket>, &slowReceiveRun<QSslSocket>};
    return client;
}

} // namespace bench
