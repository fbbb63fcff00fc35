// SPDX-License-Identifier: LGPL-3.0-or-later
#include "bench_common.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

extern char **environ;

namespace bench {

const char *pattern()
{
    static const std::vector<char> bytes = [] {
        std::vector<char> b(kChunk + kPatternPeriod);
        for (size_t i = 0; i < b.size(); ++i)
            b[i] = char(i % kPatternPeriod);
        return b;
    }();
    return bytes.data();
}

double cpuNow()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval &tv) { return double(tv.tv_sec) + double(tv.tv_usec) / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double wallNow()
{
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

long procStatusKib(const char *field)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    const std::string prefix = std::string(field) + ":";
    while (std::getline(status, line)) {
        if (line.compare(0, prefix.size(), prefix) == 0)
            return std::strtol(line.c_str() + prefix.size(), nullptr, 10);
    }
    return -1;
}

bool resetPeakRss()
{
    std::ofstream clearRefs("/proc/self/clear_refs");
    clearRefs << "5";
    clearRefs.flush();
    return bool(clearRefs);
}

namespace {
Certs g_certs;
}

const Certs &certs() { return g_certs; }
void setCertsDir(const std::string &dir) { g_certs.dir = dir; }

std::map<std::string, std::string> parseFields(const std::string &line)
{
    std::map<std::string, std::string> fields;
    std::istringstream words(line);
    std::string word;
    while (words >> word) {
        const auto eq = word.find('=');
        if (eq == std::string::npos)
            fields[""] = word;
        else
            fields[word.substr(0, eq)] = word.substr(eq + 1);
    }
    return fields;
}

double fieldDouble(const std::map<std::string, std::string> &fields, const char *key)
{
    const auto it = fields.find(key);
    return it == fields.end() ? 0.0 : std::strtod(it->second.c_str(), nullptr);
}

// ---------------------------------------------------------------------------------------------
// Child

Child::~Child()
{
    closeInput();
    if (m_pid > 0)
        wait(2000);
    if (m_out >= 0)
        ::close(m_out);
}

bool Child::start(const std::vector<std::string> &args, std::string *error)
{
    char self[4096];
    const ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0) {
        *error = "cannot find this executable";
        return false;
    }
    self[len] = '\0';

    int inPipe[2], outPipe[2];
    if (pipe2(inPipe, O_CLOEXEC) != 0 || pipe2(outPipe, O_CLOEXEC) != 0) {
        *error = std::string("pipe: ") + std::strerror(errno);
        return false;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, inPipe[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], STDOUT_FILENO);

    std::vector<std::string> all{self};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char *> argv;
    for (auto &arg : all)
        argv.push_back(arg.data());
    argv.push_back(nullptr);

    const int rc = posix_spawn(&m_pid, self, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(inPipe[0]);
    ::close(outPipe[1]);
    m_in = inPipe[1];
    m_out = outPipe[0];
    if (rc != 0) {
        m_pid = -1;
        *error = std::string("posix_spawn: ") + std::strerror(rc);
        return false;
    }
    return true;
}

bool Child::readLine(std::string *line, int timeoutMs)
{
    const double deadline = wallNow() + timeoutMs / 1000.0;
    for (;;) {
        const auto nl = m_pending.find('\n');
        if (nl != std::string::npos) {
            *line = m_pending.substr(0, nl);
            m_pending.erase(0, nl + 1);
            return true;
        }
        const int left = int((deadline - wallNow()) * 1000);
        if (left <= 0 || m_out < 0)
            return false;
        pollfd pfd{m_out, POLLIN, 0};
        const int ready = poll(&pfd, 1, left);
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            return false;
        char buf[4096];
        const ssize_t n = ::read(m_out, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        m_pending.append(buf, size_t(n));
    }
}

bool Child::readLineStartingWith(const std::string &prefix, std::string *line, int timeoutMs)
{
    const double deadline = wallNow() + timeoutMs / 1000.0;
    while (readLine(line, std::max(1, int((deadline - wallNow()) * 1000)))) {
        if (line->compare(0, prefix.size(), prefix) == 0)
            return true;
    }
    return false;
}

bool Child::writeLine(const std::string &line)
{
    const std::string data = line + "\n";
    return m_in >= 0 && ::write(m_in, data.data(), data.size()) == ssize_t(data.size());
}

void Child::closeInput()
{
    if (m_in >= 0) {
        ::close(m_in);
        m_in = -1;
    }
}

int Child::wait(int timeoutMs)
{
    if (m_pid <= 0)
        return -1;
    const double deadline = wallNow() + timeoutMs / 1000.0;
    int status = 0;
    for (;;) {
        const pid_t r = waitpid(m_pid, &status, WNOHANG);
        if (r == m_pid)
            break;
        if (r < 0) {
            m_pid = -1;
            return -1;
        }
        if (wallNow() > deadline) {
            kill(m_pid, SIGKILL);
            waitpid(m_pid, &status, 0);
            m_pid = -1;
            return -1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    m_pid = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace bench
