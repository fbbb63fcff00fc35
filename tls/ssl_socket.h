// SPDX-License-Identifier: LGPL-3.0-or-later
#pragma once

#include <QtCore/QList>
#include <QtCore/QRegExp>
#include <QtCore/QScopedPointer>
#include <QtNetwork/QSslCertificate>
#include <QtNetwork/QSslCipher>
#include <QtNetwork/QSslConfiguration>
#include <QtNetwork/QSslError>
#include <QtNetwork/QSslKey>
#include <QtNetwork/QTcpSocket>

#include <mailwire/tls_export.h>

class QSslPreSharedKeyAuthenticator;

namespace mailwire {

class SslSocketPrivate;

/// A TLS socket with the API of Qt 5's QSslSocket, implemented on OpenSSL 3.
///
/// It wraps a plain QTcpSocket and a TLS engine over memory BIOs. Differences from
/// QSslSocket (all stricter, all tested):
/// - startClientEncryption()/startServerEncryption() fail with SslInvalidUserDataError and
///   close the connection if any unread plaintext byte is buffered, because in STARTTLS the
///   peer may not speak before the handshake; such bytes are an injection
///   (encryptionFailure() is UnreadPlaintextBeforeHandshake).
/// - A client whose verification name (peerVerifyName(), else the host name) cannot be
///   checked fails before its ClientHello with SslInvalidUserDataError (encryptionFailure()
///   is InvalidPeerVerifyName), where QSslSocket would quietly check nothing or report a
///   mismatch: white space, control characters or NUL, a name QUrl::toAce() refuses (a label
///   starting or ending with '-', "a..b"), a label over 63 or a name over 253 characters,
///   a dotted name ending in a numeric label that is no IP address, and no name at all (a
///   socket from setSocketDescriptor() without setPeerVerifyName()) unless peerVerifyMode()
///   is VerifyNone. IDN names are checked in ACE form ("bücher.example" against
///   "xn--bcher-kva.example"); IP literals are checked as addresses, in any form
///   QHostAddress reads; an IPv6 zone id ("fe80::1%eth0") is dropped for the check, since it
///   only names the local interface and no certificate can carry it.
/// - A client session is kept for resumption only if its verification had no error at all,
///   ignored or not (a resumed handshake verifies nothing), and only under a key made of
///   everything that decided that verification: the CAs, verify mode and depth, the rest of
///   the TLS configuration, the verification name, the host and the port. A resumed
///   connection reports the peer certificate and chain of the session it resumes.
/// - QSsl::SslOptionDisableServerNameIndication is honoured: no SNI is sent. SNI is never
///   sent for an IP literal.
/// - A TCP close without TLS close_notify after the handshake is reported as truncation
///   (SslInternalError, "TLS stream truncated ..."), never as a clean end of stream; a
///   close_notify is RemoteHostClosedError, as in QSslSocket.
/// - TLS 1.2 is the minimum for SecureProtocols; SslV2/SslV3 are refused with
///   SslInvalidUserDataError.
/// - socketDescriptor() answers -1 (the descriptor belongs to the inner socket).
/// - ignoreSslErrors() may be called before connecting, as the reference documents (Qt 5.15
///   itself forgets it in connectToHostEncrypted()); it lasts until that connection ends.
/// - The QSslPreSharedKeyAuthenticator handed to preSharedKeyAuthenticationRequired() has
///   no identity hint and reports 0 as its maximum lengths: Qt sets those only through a
///   private class. OpenSSL's real limits are still enforced (an oversized identity or key
///   fails the handshake).
/// - sslConfiguration() carries the settings only; the session state (peer certificate,
///   cipher, protocol) is answered by this class's own getters.
class MAILWIRE_TLS_EXPORT SslSocket : public QTcpSocket
{
    Q_OBJECT
public:
    /// Same values as QSslSocket::SslMode.
    enum SslMode {
        UnencryptedMode, ///< no TLS (yet): bytes pass through as on a QTcpSocket
        SslClientMode,   ///< the client side of TLS, handshaking or encrypted (isEncrypted())
        SslServerMode    ///< the server side of TLS, handshaking or encrypted (isEncrypted())
    };
    Q_ENUM(SslMode)
    /// Same values as QSslSocket::PeerVerifyMode.
    enum PeerVerifyMode {
        /// Asks for no certificate and checks none: encrypted, but the peer may be anyone
        /// (a client then trusts any server, an attacker's included; for tests only).
        VerifyNone,
        /// Asks for the peer's certificate but accepts it even if it does not verify; the
        /// errors are still reported. AutoVerifyPeer's choice for servers.
        QueryPeer,
        /// Requires a certificate that verifies; otherwise sslErrors() is emitted and the
        /// handshake fails unless the errors are ignored. AutoVerifyPeer's choice for clients.
        VerifyPeer,
        /// The default: VerifyPeer for clients, QueryPeer for servers.
        AutoVerifyPeer
    };
    Q_ENUM(PeerVerifyMode)
    /// Why this connection's encryption failed, for code to act on: errorString() is
    /// translated and meant for people. Set together with the error it explains; reset when
    /// a new connection starts.
    enum EncryptionFailure {
        NoEncryptionFailure, ///< nothing failed (yet), or the failure was not TLS's
        /// Unread plaintext was buffered when the handshake was to start (in STARTTLS, an
        /// injection); SslInvalidUserDataError, the connection was closed, nothing was sent.
        UnreadPlaintextBeforeHandshake,
        /// The verification name cannot be checked (see the class comment);
        /// SslInvalidUserDataError, closed before the ClientHello.
        InvalidPeerVerifyName,
        /// The configuration cannot be used (key, certificate, ciphers, protocol);
        /// SslInvalidUserDataError, closed before the handshake.
        InvalidTlsConfiguration,
        /// The handshake failed, or the peer closed the connection during it.
        HandshakeFailed,
        /// The peer's certificate did not verify and the errors were not ignored
        /// (sslErrors() lists them); SslHandshakeFailedError.
        PeerVerificationFailed
    };
    Q_ENUM(EncryptionFailure)

    /// Creates an unconnected socket in UnencryptedMode. Its configuration starts as
    /// QSslConfiguration::defaultConfiguration() plus the CAs added with
    /// addDefaultCaCertificates().
    explicit SslSocket(QObject *parent = nullptr);
    /// Aborts any connection (no close_notify is sent) and frees the socket.
    ~SslSocket() override;

    /// Connects in plain mode; the handshake starts only with startClientEncryption().
    void connectToHost(const QString &hostName, quint16 port, OpenMode openMode = ReadWrite,
                       NetworkLayerProtocol protocol = AnyIPProtocol) override;
    using QAbstractSocket::connectToHost;
    /// Connects and starts the client handshake as soon as TCP is up.
    void connectToHostEncrypted(const QString &hostName, quint16 port, OpenMode mode = ReadWrite,
                                NetworkLayerProtocol protocol = AnyIPProtocol);
    /// As above, but verifies the certificate (and sends SNI) for sslPeerName.
    void connectToHostEncrypted(const QString &hostName, quint16 port, const QString &sslPeerName,
                                OpenMode mode = ReadWrite,
                                NetworkLayerProtocol protocol = AnyIPProtocol);
    /// Closes gracefully: data already written is encrypted and sent, then TLS close_notify, then
    /// the TCP close, and disconnected() follows. Called during the handshake, the close waits for
    /// the handshake to end. In plain mode it is QTcpSocket's.
    void disconnectFromHost() override;

    /// Takes over an already connected native socket, typically the one a server gets in
    /// QTcpServer::incomingConnection(), in UnencryptedMode and ready for startServerEncryption().
    /// Any previous connection is dropped. A client handshake on it needs setPeerVerifyName(),
    /// since there is no host name to check. False, with error() set, if the descriptor is not
    /// usable.
    bool setSocketDescriptor(qintptr socketDescriptor, SocketState state = ConnectedState,
                             OpenMode openMode = ReadWrite) override;
    /// Sets a TCP option (such as LowDelayOption or KeepAliveOption) on the underlying connection.
    /// Set before connecting, it is applied as soon as the connection exists.
    void setSocketOption(QAbstractSocket::SocketOption option, const QVariant &value) override;
    /// The value of a TCP option of the underlying connection; before there is one, the value last
    /// given to setSocketOption() (an invalid QVariant if none).
    QVariant socketOption(QAbstractSocket::SocketOption option) override;

    /// UnencryptedMode until a handshake starts, then SslClientMode or SslServerMode for the rest
    /// of the connection, during the handshake too (see isEncrypted()). modeChanged() announces the
    /// change; a new connection starts in UnencryptedMode again.
    SslMode mode() const;
    /// True once the handshake completed and the peer was accepted (encrypted() was emitted);
    /// from then on everything written is encrypted. False during the handshake, while data written
    /// is held back.
    bool isEncrypted() const;

    /// The TLS versions the next handshake may negotiate; by default QSsl::SecureProtocols, which
    /// here means TLS 1.2 or later. The version chosen is sessionProtocol().
    QSsl::SslProtocol protocol() const;
    /// Sets protocol() for the next handshake; one already started keeps its own. QSsl::SslV2,
    /// SslV3 and TlsV1SslV3 fail that handshake with SslInvalidUserDataError (encryptionFailure()
    /// is InvalidTlsConfiguration).
    void setProtocol(QSsl::SslProtocol protocol);

    /// Whether the next handshake asks for the peer's certificate and requires it to verify;
    /// AutoVerifyPeer by default.
    PeerVerifyMode peerVerifyMode() const;
    /// Sets peerVerifyMode() for the next handshake; one already started keeps its own.
    void setPeerVerifyMode(PeerVerifyMode mode);
    /// How many certificates of the peer's chain are checked, starting with the peer's own; 0 (the
    /// default) checks the whole chain.
    int peerVerifyDepth() const;
    /// Sets peerVerifyDepth() for the next handshake; a negative depth is refused with a warning.
    void setPeerVerifyDepth(int depth);
    /// The name set by setPeerVerifyName() or by the connectToHostEncrypted() overload taking
    /// sslPeerName; empty means the host name is verified.
    QString peerVerifyName() const;
    /// The name the peer's certificate is verified against (and sent as SNI); empty means the
    /// host name given to connectToHost(). A name that cannot be checked fails the next
    /// handshake before the ClientHello (see the class comment).
    void setPeerVerifyName(const QString &hostName);

    // QIODevice / QAbstractSocket overrides
    /// Decrypted bytes ready to read (on a plain connection, the received bytes, as QTcpSocket
    /// counts them). Ciphertext not yet decrypted is encryptedBytesAvailable().
    qint64 bytesAvailable() const override;
    /// Bytes written but not yet encrypted (on a plain connection, not yet sent). Ciphertext still
    /// waiting for the network is encryptedBytesToWrite().
    qint64 bytesToWrite() const override;
    /// True if a whole line, up to and including `\n`, of decrypted data can be read now.
    bool canReadLine() const override;
    /// Closes now, without waiting as disconnectFromHost() does: data already written is flushed
    /// where possible and an encrypted connection ends with close_notify; then the connection and
    /// the device are closed and unread data is dropped.
    void close() override;
    /// True when no decrypted byte is left to read right now; more may still arrive, as with
    /// QTcpSocket.
    bool atEnd() const override;
    /// Sends pending data without blocking; true if anything was written.
    bool flush();
    /// Immediately closes the connection, dropping pending data; no close_notify.
    void abort();
    /// Bounds, in bytes, how much received data is held before reading from the network pauses
    /// (0, the default, sets no bound): decrypted bytes here and ciphertext in the inner socket.
    /// When full, the peer is slowed down by TCP flow control until the application reads, instead
    /// of memory growing.
    void setReadBufferSize(qint64 size) override;
    /// Received ciphertext not yet decrypted. Usually 0, since data is decrypted as it arrives;
    /// more while setReadBufferSize() or PauseOnSslErrors hold decryption back. 0 on a plain
    /// connection.
    qint64 encryptedBytesAvailable() const;
    /// Ciphertext waiting to be written to the network; 0 on a plain connection.
    qint64 encryptedBytesToWrite() const;

    /// The settings the next handshake uses: CAs, local certificate chain and key, protocol,
    /// verify mode and depth, ciphers, options. It holds no session state: ask peerCertificate(),
    /// sessionCipher() and sessionProtocol() for that.
    QSslConfiguration sslConfiguration() const;
    /// Replaces all settings at once, for the next handshake; one already started keeps its own.
    /// The system CA store stays trusted while the configuration loads it (as
    /// QSslConfiguration::defaultConfiguration() does) or keeps this socket's CA list; a
    /// configuration whose CA list was replaced with setCaCertificates() trusts only those CAs.
    void setSslConfiguration(const QSslConfiguration &config);

    /// Sets the certificates shown to the peer, own certificate first, then its issuers: what a
    /// server presents, and a client when the server asks for client certificates. Needs the
    /// matching setPrivateKey(). Used from the next handshake.
    void setLocalCertificateChain(const QList<QSslCertificate> &localChain);
    /// The certificates shown to the peer, own certificate first; empty if none was set.
    QList<QSslCertificate> localCertificateChain() const;
    /// Sets the one certificate shown to the peer, replacing any chain; see
    /// setLocalCertificateChain(). Servers need one; clients only for client-certificate
    /// authentication.
    void setLocalCertificate(const QSslCertificate &certificate);
    /// As above, with the first certificate found in the file fileName. A file that cannot be read
    /// leaves the setting unchanged (with a warning); one without a certificate clears it.
    void setLocalCertificate(const QString &fileName, QSsl::EncodingFormat format = QSsl::Pem);
    /// The certificate shown to the peer, the first of localCertificateChain(); null if none.
    QSslCertificate localCertificate() const;
    /// The peer's own certificate, the first of peerCertificateChain(), for display, logging or
    /// pinning. Set during the handshake, so slots connected to peerVerifyError() and sslErrors()
    /// can read it; null before, on a plain connection, or if the peer sent none. It stays after
    /// the connection ends, until the next one starts. A resumed session reports the certificate
    /// of the session it resumes.
    QSslCertificate peerCertificate() const;
    /// The certificates the peer presented, its own first and then its issuers as it sent them;
    /// available and kept exactly as peerCertificate(), empty where that is null.
    QList<QSslCertificate> peerCertificateChain() const;
    /// The cipher suite the handshake chose; null until the TLS handshake itself has finished
    /// (already in slots connected to sslErrors(), before encrypted()) and on a plain connection.
    QSslCipher sessionCipher() const;
    /// The TLS version the handshake chose (such as QSsl::TlsV1_3); QSsl::UnknownProtocol
    /// whenever sessionCipher() is null.
    QSsl::SslProtocol sessionProtocol() const;

    /// Sets the private key of the local certificate, used from the next handshake. A key that does
    /// not match the certificate, or a certificate without a key, fails that handshake with
    /// SslInvalidUserDataError (encryptionFailure() is InvalidTlsConfiguration).
    void setPrivateKey(const QSslKey &key);
    /// As above, with the key read from the file fileName in the given algorithm and format and,
    /// if it is encrypted, decrypted with passPhrase. A file that cannot be read leaves the key
    /// unchanged; a key that cannot be decoded (such as a wrong pass phrase) sets a null key. Both
    /// log a warning.
    void setPrivateKey(const QString &fileName, QSsl::KeyAlgorithm algorithm = QSsl::Rsa,
                       QSsl::EncodingFormat format = QSsl::Pem,
                       const QByteArray &passPhrase = QByteArray());
    /// The private key of the local certificate; null if none was set.
    QSslKey privateKey() const;

    /// Adds the CA certificates found at path (one file, or the files matching path read as syntax
    /// says: FixedString, Wildcard or RegExp) to those this socket trusts, from the next handshake;
    /// the system CA store stays trusted. False if no certificate was found.
    bool addCaCertificates(const QString &path, QSsl::EncodingFormat format = QSsl::Pem,
                           QRegExp::PatternSyntax syntax = QRegExp::FixedString);
    /// Adds one CA certificate to those this socket trusts, from the next handshake; the system
    /// CA store stays trusted. Typical for a private CA or a test server.
    void addCaCertificate(const QSslCertificate &certificate);
    /// Adds CA certificates to those this socket trusts, from the next handshake; the system CA
    /// store stays trusted.
    void addCaCertificates(const QList<QSslCertificate> &certificates);

    /// Adds a CA certificate that every SslSocket created afterwards trusts (in any thread);
    /// sockets that exist already keep their own list. Qt's
    /// QSslConfiguration::defaultConfiguration() is not changed.
    static void addDefaultCaCertificate(const QSslCertificate &certificate);
    /// As addCaCertificates() with a path, but for every SslSocket created afterwards, as
    /// addDefaultCaCertificate(). False if no certificate was found.
    static bool addDefaultCaCertificates(const QString &path,
                                         QSsl::EncodingFormat encoding = QSsl::Pem,
                                         QRegExp::PatternSyntax syntax = QRegExp::FixedString);
    /// Adds CA certificates that every SslSocket created afterwards trusts, as
    /// addDefaultCaCertificate().
    static void addDefaultCaCertificates(const QList<QSslCertificate> &certificates);

    /// Blocks until TCP is connected or msecs milliseconds passed (-1: no limit); true if
    /// connected. It does not wait for encryption: see waitForEncrypted().
    bool waitForConnected(int msecs = 30000) override;
    /// Waits until encrypted() was emitted, or msecs milliseconds (-1: no limit); false on
    /// failure, timeout, or, as in QSslSocket, if already encrypted. Drives the handshake
    /// itself, so it works without an event loop.
    bool waitForEncrypted(int msecs = 30000);
    /// Blocks until decrypted data can be read (readyRead() was emitted) or msecs milliseconds
    /// passed (-1: no limit), finishing a running handshake first. False on timeout, error or
    /// disconnection.
    bool waitForReadyRead(int msecs = 30000) override;
    /// Blocks until written data has been encrypted and handed to the network, or msecs
    /// milliseconds passed (-1: no limit), finishing a running handshake first. False on timeout
    /// or error.
    bool waitForBytesWritten(int msecs = 30000) override;
    /// Blocks until the connection has closed (disconnected() was emitted) or msecs milliseconds
    /// passed (-1: no limit); false, with a warning, if the socket is not connected.
    bool waitForDisconnected(int msecs = 30000) override;

    /// The verification errors of the last handshake (the list sslErrors() was emitted with).
    QList<QSslError> sslErrors() const;
    /// Why encryption failed on this connection (NoEncryptionFailure if it did not); a
    /// Mailwire addition, stable across translations of errorString().
    EncryptionFailure encryptionFailure() const;

    /// True if the OpenSSL library in use is version 3.0 or later, which Mailwire needs. Since
    /// Mailwire links OpenSSL 3 directly, a program that starts at all gets true.
    static bool supportsSsl();
    /// OpenSSL's version number at run time (OpenSSL_version_num(): 0x30000020 for 3.0.2); it
    /// may differ from sslLibraryBuildVersionNumber() once the shared library was updated.
    static long sslLibraryVersionNumber();
    /// OpenSSL's version text at run time, such as "OpenSSL 3.0.2 15 Mar 2022", for logs and
    /// "about" dialogs.
    static QString sslLibraryVersionString();
    /// The version number of the OpenSSL headers Mailwire was compiled with
    /// (OPENSSL_VERSION_NUMBER).
    static long sslLibraryBuildVersionNumber();
    /// The version text of the OpenSSL headers Mailwire was compiled with.
    static QString sslLibraryBuildVersionString();

    /// Lets a handshake paused by PauseOnSslErrors go on (the errors must have been ignored).
    void resume() override;

public Q_SLOTS:
    /// Starts a delayed client handshake (STARTTLS). Fails, closing the connection, if any
    /// unread plaintext byte is buffered: the peer may not speak before our ClientHello.
    void startClientEncryption();
    /// Starts a delayed server handshake; needs a local certificate and private key. Fails
    /// like startClientEncryption() on buffered bytes the application has not read.
    void startServerEncryption();
    /// Accepts every verification error of this connection's handshake, so it completes despite
    /// them. Call it in a slot directly connected to sslErrors(), after the user accepted the
    /// errors shown, or before connecting; it lasts until the connection ends. Ignoring errors
    /// unseen accepts any impostor: prefer the overload taking the expected errors.
    void ignoreSslErrors();

public:
    /// Accepts exactly these errors, each matched with its certificate (such as
    /// QSslError(QSslError::SelfSignedCertificate, pinnedCertificate)); any other error still fails
    /// the handshake. Replaces an earlier list; may be called before connecting and lasts until
    /// the connection ends.
    void ignoreSslErrors(const QList<QSslError> &errors);

Q_SIGNALS:
    /// Emitted when the handshake completed and the peer was accepted (it verified, or its errors
    /// were ignored): isEncrypted() is now true, data written earlier is sent now, and everything
    /// after is encrypted.
    void encrypted();
    /// Emitted once per problem found while verifying the peer, after the TLS handshake and before
    /// sslErrors(); a slot may call abort() to drop the connection at once. Connect it directly.
    void peerVerifyError(const QSslError &error);
    /// Emitted after the TLS handshake when the peer's identity could not be verified, with every
    /// problem found (the list sslErrors() returns). Unless a slot directly connected to it calls
    /// ignoreSslErrors() (a queued one is too late), or the errors were ignored in advance, the
    /// connection then fails with SslHandshakeFailedError and encryptionFailure()
    /// PeerVerificationFailed; under PauseOnSslErrors it waits for resume() instead. With
    /// VerifyNone or QueryPeer the errors are only reported.
    void sslErrors(const QList<QSslError> &errors);
    /// Emitted when a handshake starts, with newMode SslClientMode or SslServerMode; after
    /// connectToHostEncrypted() that is just before connected(). A new connection going back to
    /// UnencryptedMode does not emit it.
    void modeChanged(mailwire::SslSocket::SslMode newMode);
    /// Emitted when ciphertext was written to the network; totalBytes counts those encrypted bytes
    /// (records add overhead). bytesWritten() counts cleartext instead, as it is encrypted.
    void encryptedBytesWritten(qint64 totalBytes);
    /// Emitted during a handshake that negotiates a pre-shared-key cipher suite; a directly
    /// connected slot fills in the identity and key. The authenticator belongs to the socket and
    /// is valid only during the emission. Without an answer the handshake fails. PSK is offered
    /// only if a slot is connected to this signal when the handshake starts.
    void preSharedKeyAuthenticationRequired(QSslPreSharedKeyAuthenticator *authenticator);

protected:
    /// Serves QIODevice::read(): copies up to maxlen decrypted bytes (plain bytes on a plain
    /// connection) into data; 0 if none is ready yet, -1 once the connection is closed and
    /// nothing is left.
    qint64 readData(char *data, qint64 maxlen) override;
    /// Serves QIODevice::readLine(): as readData(), but stops after the first `\n`.
    qint64 readLineData(char *data, qint64 maxlen) override;
    /// Serves QIODevice::write(): queues len bytes of cleartext, encrypted and sent from the event
    /// loop (or by flush() and the waits); during the handshake they wait for encrypted(). Returns
    /// len, or -1 once the handshake failed or there is no connection.
    qint64 writeData(const char *data, qint64 len) override;

private:
    friend class SslSocketPrivate;
    QScopedPointer<SslSocketPrivate> d;
    Q_DISABLE_COPY(SslSocket)
};

} // namespace mailwire
