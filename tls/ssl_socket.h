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
        UnencryptedMode,
        SslClientMode,
        SslServerMode
    };
    Q_ENUM(SslMode)
    /// Same values as QSslSocket::PeerVerifyMode.
    enum PeerVerifyMode {
        VerifyNone,
        QueryPeer,
        VerifyPeer,
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

    explicit SslSocket(QObject *parent = nullptr);
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
    void disconnectFromHost() override;

    bool setSocketDescriptor(qintptr socketDescriptor, SocketState state = ConnectedState,
                             OpenMode openMode = ReadWrite) override;
    void setSocketOption(QAbstractSocket::SocketOption option, const QVariant &value) override;
    QVariant socketOption(QAbstractSocket::SocketOption option) override;

    SslMode mode() const;
    bool isEncrypted() const;

    QSsl::SslProtocol protocol() const;
    void setProtocol(QSsl::SslProtocol protocol);

    PeerVerifyMode peerVerifyMode() const;
    void setPeerVerifyMode(PeerVerifyMode mode);
    int peerVerifyDepth() const;
    void setPeerVerifyDepth(int depth);
    QString peerVerifyName() const;
    /// The name the peer's certificate is verified against (and sent as SNI); empty means the
    /// host name given to connectToHost(). A name that cannot be checked fails the next
    /// handshake before the ClientHello (see the class comment).
    void setPeerVerifyName(const QString &hostName);

    // QIODevice / QAbstractSocket overrides
    qint64 bytesAvailable() const override;
    qint64 bytesToWrite() const override;
    bool canReadLine() const override;
    void close() override;
    bool atEnd() const override;
    /// Sends pending data without blocking; true if anything was written.
    bool flush();
    /// Immediately closes the connection, dropping pending data; no close_notify.
    void abort();
    void setReadBufferSize(qint64 size) override;
    qint64 encryptedBytesAvailable() const;
    qint64 encryptedBytesToWrite() const;

    QSslConfiguration sslConfiguration() const;
    void setSslConfiguration(const QSslConfiguration &config);

    void setLocalCertificateChain(const QList<QSslCertificate> &localChain);
    QList<QSslCertificate> localCertificateChain() const;
    void setLocalCertificate(const QSslCertificate &certificate);
    void setLocalCertificate(const QString &fileName, QSsl::EncodingFormat format = QSsl::Pem);
    QSslCertificate localCertificate() const;
    QSslCertificate peerCertificate() const;
    QList<QSslCertificate> peerCertificateChain() const;
    QSslCipher sessionCipher() const;
    QSsl::SslProtocol sessionProtocol() const;

    void setPrivateKey(const QSslKey &key);
    void setPrivateKey(const QString &fileName, QSsl::KeyAlgorithm algorithm = QSsl::Rsa,
                       QSsl::EncodingFormat format = QSsl::Pem,
                       const QByteArray &passPhrase = QByteArray());
    QSslKey privateKey() const;

    bool addCaCertificates(const QString &path, QSsl::EncodingFormat format = QSsl::Pem,
                           QRegExp::PatternSyntax syntax = QRegExp::FixedString);
    void addCaCertificate(const QSslCertificate &certificate);
    void addCaCertificates(const QList<QSslCertificate> &certificates);

    static void addDefaultCaCertificate(const QSslCertificate &certificate);
    static bool addDefaultCaCertificates(const QString &path,
                                         QSsl::EncodingFormat encoding = QSsl::Pem,
                                         QRegExp::PatternSyntax syntax = QRegExp::FixedString);
    static void addDefaultCaCertificates(const QList<QSslCertificate> &certificates);

    bool waitForConnected(int msecs = 30000) override;
    /// Waits until encrypted() was emitted; false on failure, timeout or if already encrypted.
    bool waitForEncrypted(int msecs = 30000);
    bool waitForReadyRead(int msecs = 30000) override;
    bool waitForBytesWritten(int msecs = 30000) override;
    bool waitForDisconnected(int msecs = 30000) override;

    /// The verification errors of the last handshake (the list sslErrors() was emitted with).
    QList<QSslError> sslErrors() const;
    /// Why encryption failed on this connection (NoEncryptionFailure if it did not); a
    /// Mailwire addition, stable across translations of errorString().
    EncryptionFailure encryptionFailure() const;

    static bool supportsSsl();
    static long sslLibraryVersionNumber();
    static QString sslLibraryVersionString();
    static long sslLibraryBuildVersionNumber();
    static QString sslLibraryBuildVersionString();

    /// Lets a handshake paused by PauseOnSslErrors go on (the errors must have been ignored).
    void resume() override;

public Q_SLOTS:
    /// Starts a delayed client handshake (STARTTLS). Fails, closing the connection, if any
    /// unread plaintext byte is buffered: the peer may not speak before our ClientHello.
    void startClientEncryption();
    /// Starts a delayed server handshake. Fails like startClientEncryption() on buffered bytes.
    void startServerEncryption();
    void ignoreSslErrors();

public:
    void ignoreSslErrors(const QList<QSslError> &errors);

Q_SIGNALS:
    void encrypted();
    void peerVerifyError(const QSslError &error);
    void sslErrors(const QList<QSslError> &errors);
    void modeChanged(mailwire::SslSocket::SslMode newMode);
    void encryptedBytesWritten(qint64 totalBytes);
    void preSharedKeyAuthenticationRequired(QSslPreSharedKeyAuthenticator *authenticator);

protected:
    qint64 readData(char *data, qint64 maxlen) override;
    qint64 readLineData(char *data, qint64 maxlen) override;
    qint64 writeData(const char *data, qint64 len) override;

private:
    friend class SslSocketPrivate;
    QScopedPointer<SslSocketPrivate> d;
    Q_DISABLE_COPY(SslSocket)
};

} // namespace mailwire
